# A position given as xsd:integer instead of xsd:nonNegativeInteger.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:start
# component: sh:DatatypeConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s } INSERT { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?i } WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s BIND (STRDT(STR(?s), xsd:integer) AS ?i) }
