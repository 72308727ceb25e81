# A fact whose subject is a string, not a named resource.
# focus-query: SELECT ?focus WHERE { ?focus a mk:Fact ; rdf:subject "Abdoulaye Diop" }
# shape: mksh:FactShape/rdf:subject
# component: sh:NodeKindConstraintComponent

DELETE { ?f rdf:subject ?s } INSERT { ?f rdf:subject "Abdoulaye Diop" } WHERE { ?f a mk:Fact ; rdf:subject id:abdoulaye-diop ; rdf:predicate mk:actedOnBehalfOf ; rdf:subject ?s }
