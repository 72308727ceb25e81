# A claimed date given as a plain string.
# focus: id:claim-mandate-end-un
# shape: mksh:ClaimShape
# component: sh:SPARQLConstraintComponent
# message: is not an xsd:date

DELETE { id:claim-mandate-end-un mk:claimedValue ?o } INSERT { id:claim-mandate-end-un mk:claimedValue "2023-06-30" } WHERE { id:claim-mandate-end-un mk:claimedValue ?o }
