# A resolution with two numbers.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:resolutionNumber
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:resolution-2690 mk:resolutionNumber 2691 }
