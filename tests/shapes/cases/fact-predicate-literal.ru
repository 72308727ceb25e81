# A fact whose predicate is a string, not an IRI.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:predicate "actedOnBehalfOf" }
# shape: mksh:FactShape/rdf:predicate
# component: sh:NodeKindConstraintComponent

DELETE { ?f rdf:predicate ?p } INSERT { ?f rdf:predicate "actedOnBehalfOf" } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; rdf:predicate ?p }
