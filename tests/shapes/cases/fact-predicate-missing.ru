# A fact without rdf:predicate.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:object id:government-of-mali FILTER NOT EXISTS { ?focus rdf:predicate ?p } }
# shape: mksh:FactShape/rdf:predicate
# component: sh:MinCountConstraintComponent

DELETE { ?f rdf:predicate ?p } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; rdf:predicate ?p }
