# A request for nothing.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:requests
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:request-for-withdrawal mk:requests ?o }
