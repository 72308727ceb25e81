# Dates out of order: the mission is established after the resolution ending its mandate.
# focus: id:minusma
# shape: mksh:MissionShape
# component: sh:SPARQLConstraintComponent
# message: a mission is established before it is terminated
# cli: yes

DELETE { ?s ?p ?o } INSERT { ?s ?p "2024-04-25"^^xsd:date }
WHERE { ?s ?p ?o FILTER (sameTerm(?o, "2013-04-25"^^xsd:date) && (?s = id:minusma || EXISTS { ?s rdf:subject id:minusma ; rdf:predicate mk:establishedOn })) }
