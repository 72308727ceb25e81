# Dates out of order: the request is dated after the adoption it motivated.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape
# component: sh:SPARQLConstraintComponent
# message: a request precedes the decision it motivates
# cli: yes

DELETE { ?s ?p ?o } INSERT { ?s ?p "2023-07-15"^^xsd:date }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2023-06-16"^^xsd:date) && (?s = id:request-for-withdrawal || EXISTS { ?s rdf:subject id:request-for-withdrawal ; rdf:predicate mk:date })) }
