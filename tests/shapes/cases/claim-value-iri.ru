# A claimed value that is an IRI, not a literal.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:claimedValue
# component: sh:NodeKindConstraintComponent

DELETE { id:claim-mandate-end-konfourou mk:claimedValue ?o } INSERT { id:claim-mandate-end-konfourou mk:claimedValue id:minusma } WHERE { id:claim-mandate-end-konfourou mk:claimedValue ?o }
