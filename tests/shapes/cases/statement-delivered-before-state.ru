# A statement delivered before a state, not a body.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:deliveredBefore
# component: sh:ClassConstraintComponent

DELETE { id:statement-konfourou-takes-note mk:deliveredBefore ?o } INSERT { id:statement-konfourou-takes-note mk:deliveredBefore id:mali } WHERE { id:statement-konfourou-takes-note mk:deliveredBefore ?o }
