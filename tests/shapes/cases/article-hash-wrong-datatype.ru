# The article's digest typed xsd:hexBinary, not xsd:string.
# focus: id:article
# shape: mksh:ArticleShape/mk:sha256
# component: sh:DatatypeConstraintComponent

DELETE { id:article mk:sha256 ?o } INSERT { id:article mk:sha256 ?n } WHERE { id:article mk:sha256 ?o BIND (STRDT(STR(?o), xsd:hexBinary) AS ?n) }
