# A withdrawal with two deadlines.
# focus: id:withdrawal-of-minusma
# shape: mksh:WithdrawalShape/mk:deadline
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:withdrawal-of-minusma mk:deadline "2024-06-30"^^xsd:date }
