# A required link removed: the adoption no longer says who adopted it.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:adoptedBy
# component: sh:MinCountConstraintComponent
# message: needs exactly one mk:adoptedBy
# cli: yes

DELETE WHERE { id:adoption-of-resolution-2690 mk:adoptedBy ?b }
