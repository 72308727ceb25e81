# A resource without any label.
# focus: id:mali
# shape: mksh:ResourceShape
# component: sh:SPARQLConstraintComponent
# message: has no English label

DELETE WHERE { id:mali rdfs:label ?l }
