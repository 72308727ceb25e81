# The meeting at which a statement was delivered given as a string.
# focus: id:statement-diop-part-of-the-problem
# shape: mksh:StatementShape/mk:meetingNumber
# component: sh:DatatypeConstraintComponent

DELETE { id:statement-diop-part-of-the-problem mk:meetingNumber ?o } INSERT { id:statement-diop-part-of-the-problem mk:meetingNumber "9350" } WHERE { id:statement-diop-part-of-the-problem mk:meetingNumber ?o }
