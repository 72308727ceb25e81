# A fact derived from the article, not a primary source.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
# shape: mksh:FactShape/prov:wasDerivedFrom
# component: sh:ClassConstraintComponent

INSERT { ?f prov:wasDerivedFrom id:article } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf }
