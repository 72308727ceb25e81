# A fact without a basis.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape/mk:basis
# component: sh:MinCountConstraintComponent

DELETE { ?f mk:basis ?b } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; mk:basis ?b }
