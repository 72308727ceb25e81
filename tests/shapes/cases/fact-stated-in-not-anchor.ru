# A fact whose mk:statedIn is not an anchor.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape/mk:statedIn
# component: sh:ClassConstraintComponent

DELETE { ?f mk:statedIn ?a } INSERT { ?f mk:statedIn id:minusma } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; mk:statedIn ?a }
