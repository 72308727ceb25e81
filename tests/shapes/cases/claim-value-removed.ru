# A claim of no value.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:claimedValue
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:claim-mandate-end-konfourou mk:claimedValue ?o }
