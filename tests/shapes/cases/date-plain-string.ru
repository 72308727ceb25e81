# The adoption date given as a plain string (here and in its reifying fact).
# focus: id:adoption-of-resolution-2690
# shape: mksh:DatedShape/mk:date
# component: sh:DatatypeConstraintComponent
# message: must be typed xsd:date
# cli: yes

DELETE { ?s ?p ?o } INSERT { ?s ?p "2023-06-30" }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2023-06-30"^^xsd:date) && (?s = id:adoption-of-resolution-2690 || EXISTS { ?s rdf:subject id:adoption-of-resolution-2690 ; rdf:predicate mk:date })) }
