# A period whose start is after its end.
# focus: id:withdrawal-period
# shape: mksh:PeriodShape
# component: sh:SPARQLConstraintComponent
# message: must not be later than mk:endDate

DELETE { ?s ?p ?o } INSERT { ?s ?p "2024-07-01"^^xsd:date }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2023-07-01"^^xsd:date) && (?s = id:withdrawal-period || EXISTS { ?s rdf:subject id:withdrawal-period ; rdf:predicate mk:startDate })) }
