# The article's text as a language-tagged string, not an xsd:string.
# focus: id:article
# shape: mksh:ArticleShape/mk:text
# component: sh:DatatypeConstraintComponent

DELETE { id:article mk:text ?o } INSERT { id:article mk:text ?n } WHERE { id:article mk:text ?o BIND (STRLANG(STR(?o), "en") AS ?n) }
