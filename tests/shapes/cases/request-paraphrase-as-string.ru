# Whether the words are a paraphrase, given as a string.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:isParaphrase
# component: sh:DatatypeConstraintComponent

DELETE { id:request-for-withdrawal mk:isParaphrase ?o } INSERT { id:request-for-withdrawal mk:isParaphrase ?n } WHERE { id:request-for-withdrawal mk:isParaphrase ?o BIND (STR(?o) AS ?n) }
