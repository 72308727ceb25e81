# One adoption of two resolutions.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:adopts
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:adoption-of-resolution-2690 mk:adopts id:resolution-2100 }
