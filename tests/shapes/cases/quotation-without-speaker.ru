# A quotation with neither a speaker nor the mark that the article attributes it to nobody.
# focus: id:quotation-by-december-31-2023
# shape: mksh:QuotationShape
# component: sh:SPARQLConstraintComponent
# message: has no mk:speaker and is not marked mk:unattributed true
# cli: yes

DELETE WHERE { id:quotation-by-december-31-2023 mk:unattributed ?o }
