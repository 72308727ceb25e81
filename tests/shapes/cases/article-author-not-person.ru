# The author is not a person.
# focus: id:article
# shape: mksh:ArticleShape/mk:author
# component: sh:ClassConstraintComponent

DELETE { id:article mk:author ?a } INSERT { id:article mk:author id:unsc } WHERE { id:article mk:author ?a }
