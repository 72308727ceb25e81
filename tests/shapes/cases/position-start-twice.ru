# A position with two starts.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:start
# component: sh:MaxCountConstraintComponent

INSERT DATA { <https://w3id.org/mali-kg/id/span/request#position> oa:start 801 }
