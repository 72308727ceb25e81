# A claim about two resources.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:claimSubject
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:claim-mandate-end-konfourou mk:claimSubject id:unsc }
