# A statement delivered before two bodies.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:deliveredBefore
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:statement-konfourou-takes-note mk:deliveredBefore id:united-nations }
