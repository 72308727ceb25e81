# A withdrawal during two periods.
# focus: id:withdrawal-of-minusma
# shape: mksh:WithdrawalShape/mk:during
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:liquidation-period a mk:Period ; rdfs:label "Liquidation"@en . id:withdrawal-of-minusma mk:during id:liquidation-period . }
