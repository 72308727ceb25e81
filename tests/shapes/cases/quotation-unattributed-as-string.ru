# "Attributed to nobody" given as a string rather than a boolean.
# focus: id:quotation-by-december-31-2023
# shape: mksh:QuotationShape/mk:unattributed
# component: sh:DatatypeConstraintComponent

DELETE { id:quotation-by-december-31-2023 mk:unattributed ?o } INSERT { id:quotation-by-december-31-2023 mk:unattributed "true" } WHERE { id:quotation-by-december-31-2023 mk:unattributed ?o }
