# A fact from a primary source that no longer names the source.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:adoption-of-resolution-2690 ; rdf:predicate mk:meetingNumber }
# shape: mksh:FactShape
# component: sh:SPARQLConstraintComponent
# message: prov:wasDerivedFrom

DELETE { ?f prov:wasDerivedFrom ?s } WHERE { ?f a mk:Fact ; rdf:subject id:adoption-of-resolution-2690 ; rdf:predicate mk:meetingNumber ; prov:wasDerivedFrom ?s }
