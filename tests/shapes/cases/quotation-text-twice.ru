# A quotation given two sets of quoted words.
# focus: id:quotation-by-december-31-2023
# shape: mksh:QuotationShape/mk:quotedText
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:quotation-by-december-31-2023 mk:quotedText "December 31, 2023"@en }
