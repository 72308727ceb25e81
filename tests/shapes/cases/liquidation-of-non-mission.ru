# The liquidation of a body that is not a mission.
# focus: id:liquidation-of-minusma
# shape: mksh:LiquidationShape/mk:liquidationOf
# component: sh:ClassConstraintComponent

DELETE { id:liquidation-of-minusma mk:liquidationOf ?o } INSERT { id:liquidation-of-minusma mk:liquidationOf id:un-secretariat } WHERE { id:liquidation-of-minusma mk:liquidationOf ?o }
