# A mission's acronym given as a language-tagged string.
# focus: id:minusma
# shape: mksh:MissionShape/mk:acronym
# component: sh:DatatypeConstraintComponent

DELETE { id:minusma mk:acronym ?o } INSERT { id:minusma mk:acronym ?n } WHERE { id:minusma mk:acronym ?o BIND (STRLANG(STR(?o), "fr") AS ?n) }
