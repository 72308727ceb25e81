# A position given as a string instead of an xsd:integer.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:start
# component: sh:DatatypeConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s } INSERT { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?i } WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s BIND (STR(?s) AS ?i) }
