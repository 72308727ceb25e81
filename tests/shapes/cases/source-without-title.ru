# A primary source without an English title.
# focus: <https://mandeinfos.com/2023/06/30/>
# shape: mksh:SourceShape/rdfs:label
# component: sh:QualifiedMinCountConstraintComponent

DELETE { <https://mandeinfos.com/2023/06/30/> rdfs:label ?l } WHERE { <https://mandeinfos.com/2023/06/30/> rdfs:label ?l FILTER (lang(?l) = "en") }
