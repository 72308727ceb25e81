# The exact quote given as a language-tagged string.
# focus: <https://w3id.org/mali-kg/id/span/request#quote>
# shape: mksh:TextQuoteSelectorShape/oa:exact
# component: sh:DatatypeConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#quote> oa:exact ?o } INSERT { <https://w3id.org/mali-kg/id/span/request#quote> oa:exact ?n } WHERE { <https://w3id.org/mali-kg/id/span/request#quote> oa:exact ?o BIND (STRLANG(STR(?o), "en") AS ?n) }
