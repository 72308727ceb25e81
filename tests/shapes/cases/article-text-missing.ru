# The article without its text.
# focus: id:article
# shape: mksh:ArticleShape/mk:text
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:article mk:text ?t }
