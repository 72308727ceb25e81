# A suffix given as a language-tagged string.
# focus: <https://w3id.org/mali-kg/id/span/request#quote>
# shape: mksh:TextQuoteSelectorShape/oa:suffix
# component: sh:DatatypeConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#quote> oa:suffix ?o } INSERT { <https://w3id.org/mali-kg/id/span/request#quote> oa:suffix ?n } WHERE { <https://w3id.org/mali-kg/id/span/request#quote> oa:suffix ?o BIND (STRLANG(STR(?o), "en") AS ?n) }
