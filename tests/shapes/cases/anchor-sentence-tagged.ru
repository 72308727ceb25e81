# The sentence of an anchor given as a language-tagged string.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/mk:sentence
# component: sh:DatatypeConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request> mk:sentence ?o } INSERT { <https://w3id.org/mali-kg/id/span/request> mk:sentence ?n } WHERE { <https://w3id.org/mali-kg/id/span/request> mk:sentence ?o BIND (STRLANG(STR(?o), "en") AS ?n) }
