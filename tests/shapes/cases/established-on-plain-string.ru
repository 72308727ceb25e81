# The mission's founding date given as a plain string.
# focus: id:minusma
# shape: mksh:DatedShape/mk:establishedOn
# component: sh:DatatypeConstraintComponent

DELETE { ?s ?p ?o } INSERT { ?s ?p "2013-04-25" }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2013-04-25"^^xsd:date) && (?s = id:minusma || EXISTS { ?s rdf:subject id:minusma ; rdf:predicate mk:establishedOn })) }
