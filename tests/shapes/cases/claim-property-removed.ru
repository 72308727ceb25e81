# A claim about no property.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:claimProperty
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:claim-mandate-end-konfourou mk:claimProperty ?o }
