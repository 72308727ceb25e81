# A claim whose property is a string, not an IRI.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:claimProperty
# component: sh:NodeKindConstraintComponent

DELETE { id:claim-mandate-end-konfourou mk:claimProperty ?o } INSERT { id:claim-mandate-end-konfourou mk:claimProperty ?n } WHERE { id:claim-mandate-end-konfourou mk:claimProperty ?o BIND (STR(?o) AS ?n) }
