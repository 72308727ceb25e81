# A fact stated in the article that no longer names its anchor.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape
# component: sh:SPARQLConstraintComponent
# message: needs mk:statedIn
# cli: yes

DELETE { ?f mk:statedIn ?a } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; mk:statedIn ?a }
