# A position with two ends.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:end
# component: sh:MaxCountConstraintComponent

INSERT DATA { <https://w3id.org/mali-kg/id/span/request#position> oa:end 937 }
