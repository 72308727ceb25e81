# A fact with two bases.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape/mk:basis
# component: sh:MaxCountConstraintComponent

INSERT { ?f mk:basis mk:Inferred } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
