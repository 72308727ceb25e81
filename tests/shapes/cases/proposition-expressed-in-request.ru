# A reason expressed in a request, not a statement.
# focus: id:reason-mistrust
# shape: mksh:PropositionShape/mk:expressedIn
# component: sh:ClassConstraintComponent

DELETE { id:reason-mistrust mk:expressedIn ?o } INSERT { id:reason-mistrust mk:expressedIn id:request-for-withdrawal } WHERE { id:reason-mistrust mk:expressedIn ?o }
