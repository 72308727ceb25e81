# A negative start offset.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:start
# component: sh:MinInclusiveConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?o } INSERT { <https://w3id.org/mali-kg/id/span/request#position> oa:start -1 } WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?o }
