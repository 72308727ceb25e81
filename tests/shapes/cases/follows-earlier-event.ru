# An event said to follow another is dated before it.
# focus: id:adoption-of-resolution-2690
# shape: mksh:EventOrderShape
# component: sh:SPARQLConstraintComponent
# message: is said to follow

DELETE { ?s ?p ?o } INSERT { ?s ?p "2023-07-15"^^xsd:date }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2023-06-16"^^xsd:date) && (?s = id:request-for-withdrawal || EXISTS { ?s rdf:subject id:request-for-withdrawal ; rdf:predicate mk:date })) }
