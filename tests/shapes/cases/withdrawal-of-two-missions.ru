# One withdrawal of two missions.
# focus: id:withdrawal-of-minusma
# shape: mksh:WithdrawalShape/mk:withdrawalOf
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:another-mission a mk:Mission ; rdfs:label "Another mission"@en . id:withdrawal-of-minusma mk:withdrawalOf id:another-mission . }
