# A request addressed to a state, not a body.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:addressedTo
# component: sh:ClassConstraintComponent

DELETE { id:request-for-withdrawal mk:addressedTo ?o } INSERT { id:request-for-withdrawal mk:addressedTo id:mali } WHERE { id:request-for-withdrawal mk:addressedTo ?o }
