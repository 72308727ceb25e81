# A resolution with two symbols.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:symbol
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:resolution-2690 mk:symbol "S/RES/2690 (2024)" }
