# Quoted words as a plain string, without their language tag.
# focus: id:quotation-by-december-31-2023
# shape: mksh:QuotationShape/mk:quotedText
# component: sh:DatatypeConstraintComponent

DELETE { ?s ?p ?q } INSERT { ?s ?p ?q2 }
WHERE { id:quotation-by-december-31-2023 mk:quotedText ?q . ?s ?p ?q . BIND (STR(?q) AS ?q2) }
