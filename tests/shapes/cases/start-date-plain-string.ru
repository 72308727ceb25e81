# The period's start given as a plain string.
# focus: id:withdrawal-period
# shape: mksh:DatedShape/mk:startDate
# component: sh:DatatypeConstraintComponent

DELETE { ?s ?p ?o } INSERT { ?s ?p "2023-07-01" }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2023-07-01"^^xsd:date) && (?s = id:withdrawal-period || EXISTS { ?s rdf:subject id:withdrawal-period ; rdf:predicate mk:startDate })) }
