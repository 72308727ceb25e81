# A mission established on two dates.
# focus: id:minusma
# shape: mksh:MissionShape/mk:establishedOn
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:minusma mk:establishedOn "2013-07-01"^^xsd:date }
