# A resource labelled only in French.
# focus: id:unsc
# shape: mksh:ResourceShape
# component: sh:SPARQLConstraintComponent
# message: has no English label

DELETE { id:unsc rdfs:label ?l } WHERE { id:unsc rdfs:label ?l FILTER (lang(?l) = "en") }
