# An adoption without a date.
# focus: id:adoption-of-resolution-2100
# shape: mksh:AdoptionShape/mk:date
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:adoption-of-resolution-2100 mk:date ?o }
