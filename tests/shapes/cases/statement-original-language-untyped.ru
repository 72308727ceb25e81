# The original language given as a plain string.
# focus: id:statement-konfourou-timeframe
# shape: mksh:StatementShape/mk:originalLanguage
# component: sh:DatatypeConstraintComponent

DELETE { id:statement-konfourou-timeframe mk:originalLanguage ?o } INSERT { id:statement-konfourou-timeframe mk:originalLanguage "fr" } WHERE { id:statement-konfourou-timeframe mk:originalLanguage ?o }
