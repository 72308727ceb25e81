# A claim attributed to nobody.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:accordingTo
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:claim-mandate-end-konfourou mk:accordingTo ?a }
