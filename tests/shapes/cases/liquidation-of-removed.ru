# A liquidation that does not say which mission is liquidated.
# focus: id:liquidation-of-minusma
# shape: mksh:LiquidationShape/mk:liquidationOf
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:liquidation-of-minusma mk:liquidationOf ?m }
