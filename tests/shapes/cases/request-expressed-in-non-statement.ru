# A request said to be expressed in a claim rather than a statement.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:expressedIn
# component: sh:ClassConstraintComponent

DELETE { id:request-for-withdrawal mk:expressedIn ?o } INSERT { id:request-for-withdrawal mk:expressedIn id:claim-mandate-end-un } WHERE { id:request-for-withdrawal mk:expressedIn ?o }
