# The article text altered by one character (the hash no longer matches, quotes no longer fit).
# focus: id:article
# shape: mksh:ArticleShape
# component: sh:SPARQLConstraintComponent
# message: is not the SHA-256 of its mk:text

DELETE { id:article mk:text ?t } INSERT { id:article mk:text ?t2 } WHERE { id:article mk:text ?t BIND (REPLACE(?t, "Bamako had", "Bamako has") AS ?t2) }
