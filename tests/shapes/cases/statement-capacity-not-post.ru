# A statement made in the capacity of a person, not a post.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:inCapacityOf
# component: sh:ClassConstraintComponent

DELETE { id:statement-konfourou-takes-note mk:inCapacityOf ?o } INSERT { id:statement-konfourou-takes-note mk:inCapacityOf id:issa-konfourou } WHERE { id:statement-konfourou-takes-note mk:inCapacityOf ?o }
