# A fact without rdf:object.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape/rdf:object
# component: sh:MinCountConstraintComponent

DELETE { ?f rdf:object ?o } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; rdf:object ?o }
