# A fact reifies a triple that is not in the graph.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape
# component: sh:SPARQLConstraintComponent
# message: that triple is not in the graph

DELETE DATA { id:abdoulaye-diop mk:actedOnBehalfOf id:government-of-mali }
