# A quotation tagged @fr: the article prints English.
# focus: id:statement-konfourou-timeframe
# shape: mksh:QuotationShape/mk:quotedText
# component: sh:LanguageInConstraintComponent

DELETE { ?s ?p ?q } INSERT { ?s ?p ?q2 }
WHERE { id:statement-konfourou-timeframe mk:quotedText ?q . ?s ?p ?q . BIND (STRLANG(STR(?q), "fr") AS ?q2) }
