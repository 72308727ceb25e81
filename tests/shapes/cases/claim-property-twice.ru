# A claim about two properties.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:claimProperty
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:claim-mandate-end-konfourou mk:claimProperty mk:establishedOn }
