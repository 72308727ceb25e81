# A position selector given as a blank node.
# focus: _:
# shape: mksh:TextPositionSelectorShape
# component: sh:NodeKindConstraintComponent

INSERT DATA { _:p a oa:TextPositionSelector ; oa:start 0 ; oa:end 4 . }
