# An adoption by two bodies at once.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:adoptedBy
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:adoption-of-resolution-2690 mk:adoptedBy id:united-nations }
