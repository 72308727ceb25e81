# A statement with two dates.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:date
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:statement-konfourou-takes-note mk:date "2023-07-01"^^xsd:date }
