# A withdrawal deadline before its period starts.
# focus: id:withdrawal-of-minusma
# shape: mksh:WithdrawalShape
# component: sh:SPARQLConstraintComponent
# message: is before the start of its period

DELETE { ?s ?p ?o } INSERT { ?s ?p "2023-06-01"^^xsd:date }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2023-12-31"^^xsd:date) && (?s = id:withdrawal-of-minusma || EXISTS { ?s rdf:subject id:withdrawal-of-minusma ; rdf:predicate mk:deadline })) }
