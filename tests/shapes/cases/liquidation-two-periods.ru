# A liquidation placed in two periods.
# focus: id:liquidation-of-minusma
# shape: mksh:LiquidationShape/mk:during
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:liquidation-of-minusma mk:during id:withdrawal-period }
