# An adoption that does not say what it adopted.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:adopts
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:adoption-of-resolution-2690 mk:adopts ?o }
