# A withdrawal placed in something that is not a period.
# focus: id:withdrawal-of-minusma
# shape: mksh:WithdrawalShape/mk:during
# component: sh:ClassConstraintComponent

DELETE { id:withdrawal-of-minusma mk:during ?o } INSERT { id:withdrawal-of-minusma mk:during id:minusma } WHERE { id:withdrawal-of-minusma mk:during ?o }
