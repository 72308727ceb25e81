# A prefix given as a language-tagged string.
# focus: <https://w3id.org/mali-kg/id/span/request#quote>
# shape: mksh:TextQuoteSelectorShape/oa:prefix
# component: sh:DatatypeConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#quote> oa:prefix ?o } INSERT { <https://w3id.org/mali-kg/id/span/request#quote> oa:prefix ?n } WHERE { <https://w3id.org/mali-kg/id/span/request#quote> oa:prefix ?o BIND (STRLANG(STR(?o), "en") AS ?n) }
