# A statement delivered at two meetings.
# focus: id:statement-diop-part-of-the-problem
# shape: mksh:StatementShape/mk:meetingNumber
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:statement-diop-part-of-the-problem mk:meetingNumber 9365 }
