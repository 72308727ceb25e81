# A statement in two original languages.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:originalLanguage
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:statement-konfourou-takes-note mk:originalLanguage "en"^^xsd:language }
