# A quotation altered by one word (here and in its reifying fact) is no longer in the article.
# focus: id:statement-konfourou-takes-note
# shape: mksh:QuotationShape
# component: sh:SPARQLConstraintComponent
# message: is not in the article text verbatim
# cli: yes

DELETE { ?s ?p ?q } INSERT { ?s ?p ?q2 }
WHERE { id:statement-konfourou-takes-note mk:quotedText ?q . ?s ?p ?q . BIND (STRLANG(REPLACE(STR(?q), "takes note", "took note"), "en") AS ?q2) }
