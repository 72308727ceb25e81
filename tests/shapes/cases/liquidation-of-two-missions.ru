# One liquidation of two missions.
# focus: id:liquidation-of-minusma
# shape: mksh:LiquidationShape/mk:liquidationOf
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:other-mission a mk:Mission ; rdfs:label "Another mission"@en .
              id:liquidation-of-minusma mk:liquidationOf id:other-mission }
