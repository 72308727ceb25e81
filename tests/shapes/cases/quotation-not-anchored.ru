# A quotation whose anchoring fact is gone.
# focus: id:statement-konfourou-timeframe
# shape: mksh:QuotationShape
# component: sh:SPARQLConstraintComponent
# message: The quotation is not anchored

DELETE { ?f ?p ?o } WHERE { ?f rdf:subject id:statement-konfourou-timeframe ; rdf:predicate mk:quotedText ; ?p ?o }
