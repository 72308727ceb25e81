# An inferred date with nothing saying what it is inferred from.
# focus: id:adoption-of-resolution-2690
# shape: mksh:DateBasisShape
# component: sh:SPARQLConstraintComponent
# message: nothing says what it is inferred from

DELETE { ?f mk:inferredFrom ?x } WHERE { ?f rdf:subject id:adoption-of-resolution-2690 ; mk:inferredFrom ?x }
