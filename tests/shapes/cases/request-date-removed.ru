# A request without a date.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:date
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:request-for-withdrawal mk:date ?o }
