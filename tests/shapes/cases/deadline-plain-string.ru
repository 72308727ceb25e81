# The withdrawal deadline given as a plain string.
# focus: id:withdrawal-of-minusma
# shape: mksh:DatedShape/mk:deadline
# component: sh:DatatypeConstraintComponent

DELETE { ?s ?p ?o } INSERT { ?s ?p "2023-12-31" }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2023-12-31"^^xsd:date) && (?s = id:withdrawal-of-minusma || EXISTS { ?s rdf:subject id:withdrawal-of-minusma ; rdf:predicate mk:deadline })) }
