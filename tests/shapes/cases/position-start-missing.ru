# A position selector without oa:start.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:start
# component: sh:MinCountConstraintComponent

DELETE WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?o }
