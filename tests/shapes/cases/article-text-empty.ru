# An article whose text is empty.
# focus: id:article
# shape: mksh:ArticleShape/mk:text
# component: sh:MinLengthConstraintComponent

DELETE { id:article mk:text ?o } INSERT { id:article mk:text "" } WHERE { id:article mk:text ?o }
