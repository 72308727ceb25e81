# The words as printed without a language tag.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:wordsAsPrinted
# component: sh:DatatypeConstraintComponent

DELETE { id:request-for-withdrawal mk:wordsAsPrinted ?o } INSERT { id:request-for-withdrawal mk:wordsAsPrinted ?n } WHERE { id:request-for-withdrawal mk:wordsAsPrinted ?o BIND (STR(?o) AS ?n) }
