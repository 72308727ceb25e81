# A position's end given as a string.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:end
# component: sh:DatatypeConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#position> oa:end ?o } INSERT { <https://w3id.org/mali-kg/id/span/request#position> oa:end ?n } WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:end ?o BIND (STR(?o) AS ?n) }
