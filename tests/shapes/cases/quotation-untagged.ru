# A quotation without a language tag.
# focus: id:statement-konfourou-takes-note
# shape: mksh:QuotationShape/mk:quotedText
# component: sh:DatatypeConstraintComponent

DELETE { id:statement-konfourou-takes-note mk:quotedText ?o } INSERT { id:statement-konfourou-takes-note mk:quotedText ?n } WHERE { id:statement-konfourou-takes-note mk:quotedText ?o BIND (STR(?o) AS ?n) }
