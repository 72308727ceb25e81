# A fact with a basis that is not one of the three.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape/mk:basis
# component: sh:InConstraintComponent

DELETE { ?f mk:basis ?b } INSERT { ?f mk:basis mk:Hearsay } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; mk:basis ?b }
