# A statement made in two capacities.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:inCapacityOf
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:statement-konfourou-takes-note mk:inCapacityOf id:minister-of-foreign-affairs-of-mali }
