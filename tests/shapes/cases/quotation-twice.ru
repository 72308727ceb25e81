# A statement with two quotations.
# focus: id:statement-konfourou-takes-note
# shape: mksh:QuotationShape/mk:quotedText
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:statement-konfourou-takes-note mk:quotedText "as of June 30, 2023"@en }
