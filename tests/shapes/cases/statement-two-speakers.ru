# A statement made by two speakers.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:speaker
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:statement-konfourou-takes-note mk:speaker id:abdoulaye-diop }
