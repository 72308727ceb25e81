# A position selector whose start is not before its end.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:start
# component: sh:LessThanConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s ; oa:end ?e } INSERT { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?e ; oa:end ?s }
WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s ; oa:end ?e }
