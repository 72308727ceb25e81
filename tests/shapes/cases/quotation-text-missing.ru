# A quotation without its quoted words.
# focus: id:quotation-by-december-31-2023
# shape: mksh:QuotationShape/mk:quotedText
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:quotation-by-december-31-2023 mk:quotedText ?q }
