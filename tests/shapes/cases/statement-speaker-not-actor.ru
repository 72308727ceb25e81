# A statement whose speaker is a place, not an actor.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape
# component: sh:SPARQLConstraintComponent
# message: no mk:speaker that is an mk:Actor

DELETE { id:statement-konfourou-takes-note mk:speaker ?o } INSERT { id:statement-konfourou-takes-note mk:speaker id:bamako } WHERE { id:statement-konfourou-takes-note mk:speaker ?o }
