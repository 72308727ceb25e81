# The withdrawal of something that is not a mission.
# focus: id:withdrawal-of-minusma
# shape: mksh:WithdrawalShape/mk:withdrawalOf
# component: sh:ClassConstraintComponent

DELETE { id:withdrawal-of-minusma mk:withdrawalOf ?o } INSERT { id:withdrawal-of-minusma mk:withdrawalOf id:united-nations } WHERE { id:withdrawal-of-minusma mk:withdrawalOf ?o }
