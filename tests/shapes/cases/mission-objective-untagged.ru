# A mission's objective without a language tag.
# focus: id:minusma
# shape: mksh:MissionShape/mk:objective
# component: sh:DatatypeConstraintComponent

DELETE { id:minusma mk:objective ?o } INSERT { id:minusma mk:objective ?n } WHERE { id:minusma mk:objective ?o FILTER (STRSTARTS(STR(?o), "carrying")) BIND (STR(?o) AS ?n) }
