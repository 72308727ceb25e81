# A request with nobody asking.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:requestedBy
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:request-for-withdrawal mk:requestedBy ?a }
