# A position selector without oa:end.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:end
# component: sh:MinCountConstraintComponent

DELETE WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:end ?e }
