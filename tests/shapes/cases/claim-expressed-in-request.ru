# A claim expressed in a request, not a statement.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:expressedIn
# component: sh:ClassConstraintComponent

DELETE { id:claim-mandate-end-konfourou mk:expressedIn ?o } INSERT { id:claim-mandate-end-konfourou mk:expressedIn id:request-for-withdrawal } WHERE { id:claim-mandate-end-konfourou mk:expressedIn ?o }
