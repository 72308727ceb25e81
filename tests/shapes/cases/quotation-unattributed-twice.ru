# A quotation said to be both attributed to nobody and not.
# focus: id:quotation-by-december-31-2023
# shape: mksh:QuotationShape/mk:unattributed
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:quotation-by-december-31-2023 mk:unattributed false }
