# The official wording without a language tag.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:officialWording
# component: sh:DatatypeConstraintComponent

DELETE { id:request-for-withdrawal mk:officialWording ?o } INSERT { id:request-for-withdrawal mk:officialWording ?n } WHERE { id:request-for-withdrawal mk:officialWording ?o BIND (STR(?o) AS ?n) }
