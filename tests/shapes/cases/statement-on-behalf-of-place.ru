# A statement made on behalf of the city, not an actor.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:onBehalfOf
# component: sh:ClassConstraintComponent

DELETE { id:statement-konfourou-takes-note mk:onBehalfOf ?o } INSERT { id:statement-konfourou-takes-note mk:onBehalfOf id:bamako } WHERE { id:statement-konfourou-takes-note mk:onBehalfOf ?o }
