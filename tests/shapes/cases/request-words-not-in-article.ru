# The words printed for the request are not in the article.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape
# component: sh:SPARQLConstraintComponent
# message: are not in the article text

DELETE { ?s ?p ?q } INSERT { ?s ?p "instant withdrawal"@en }
WHERE { id:request-for-withdrawal mk:wordsAsPrinted ?q . ?s ?p ?q }
