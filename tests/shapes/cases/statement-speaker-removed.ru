# A required link removed: a statement without a speaker.
# focus: id:statement-diop-part-of-the-problem
# shape: mksh:StatementShape
# component: sh:SPARQLConstraintComponent
# message: no mk:speaker that is an mk:Actor
# cli: yes

DELETE WHERE { id:statement-diop-part-of-the-problem mk:speaker ?s }
