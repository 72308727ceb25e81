# A vote both unanimous and not.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:unanimous
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:adoption-of-resolution-2690 mk:unanimous false }
