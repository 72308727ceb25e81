# A liquidation placed in something that is not a period.
# focus: id:liquidation-of-minusma
# shape: mksh:LiquidationShape/mk:during
# component: sh:ClassConstraintComponent

DELETE { id:liquidation-of-minusma mk:during ?o } INSERT { id:liquidation-of-minusma mk:during id:minusma } WHERE { id:liquidation-of-minusma mk:during ?o }
