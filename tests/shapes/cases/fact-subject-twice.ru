# A fact with two subjects.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape/rdf:subject
# component: sh:MaxCountConstraintComponent

INSERT { ?f rdf:subject id:issa-konfourou } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
