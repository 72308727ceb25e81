# The period's end given as a plain string.
# focus: id:withdrawal-period
# shape: mksh:DatedShape/mk:endDate
# component: sh:DatatypeConstraintComponent

DELETE { ?s ?p ?o } INSERT { ?s ?p "2023-12-31" }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2023-12-31"^^xsd:date) && (?s = id:withdrawal-period || EXISTS { ?s rdf:subject id:withdrawal-period ; rdf:predicate mk:endDate })) }
