# A mission with two acronyms.
# focus: id:minusma
# shape: mksh:MissionShape/mk:acronym
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:minusma mk:acronym "MINUSMA-2" }
