# An acronym not in capitals.
# focus: id:minusma
# shape: mksh:MissionShape/mk:acronym
# component: sh:PatternConstraintComponent

DELETE { id:minusma mk:acronym ?o } INSERT { id:minusma mk:acronym "minusma" } WHERE { id:minusma mk:acronym ?o }
