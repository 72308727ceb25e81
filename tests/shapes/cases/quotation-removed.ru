# A statement that quotes nothing.
# focus: id:statement-konfourou-takes-note
# shape: mksh:QuotationShape/mk:quotedText
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:statement-konfourou-takes-note mk:quotedText ?o }
