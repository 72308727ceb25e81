# A request made by the city, not by an actor.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:requestedBy
# component: sh:ClassConstraintComponent

DELETE { id:request-for-withdrawal mk:requestedBy ?o } INSERT { id:request-for-withdrawal mk:requestedBy id:bamako } WHERE { id:request-for-withdrawal mk:requestedBy ?o }
