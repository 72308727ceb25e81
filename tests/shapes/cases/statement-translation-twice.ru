# Words both a translation and not.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:isTranslation
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:statement-konfourou-takes-note mk:isTranslation false }
