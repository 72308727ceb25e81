# A fact without rdf:subject.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:predicate mk:actedOnBehalfOf ; mk:statedIn <https://w3id.org/mali-kg/id/span/request> FILTER NOT EXISTS { ?focus rdf:subject ?s } }
# shape: mksh:FactShape/rdf:subject
# component: sh:MinCountConstraintComponent

DELETE { ?f rdf:subject ?s } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; rdf:subject ?s }
