# Whether the words are a translation, given as a string.
# focus: id:statement-konfourou-takes-note
# shape: mksh:StatementShape/mk:isTranslation
# component: sh:DatatypeConstraintComponent

DELETE { id:statement-konfourou-takes-note mk:isTranslation ?o } INSERT { id:statement-konfourou-takes-note mk:isTranslation ?n } WHERE { id:statement-konfourou-takes-note mk:isTranslation ?o BIND (STR(?o) AS ?n) }
