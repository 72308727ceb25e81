# A claim about nothing.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:claimSubject
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:claim-mandate-end-konfourou mk:claimSubject ?o }
