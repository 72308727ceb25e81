# A request made through a body rather than a person.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:madeThrough
# component: sh:ClassConstraintComponent

DELETE { id:request-for-withdrawal mk:madeThrough ?o } INSERT { id:request-for-withdrawal mk:madeThrough id:unsc } WHERE { id:request-for-withdrawal mk:madeThrough ?o }
