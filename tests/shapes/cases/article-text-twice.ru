# An article with two texts.
# focus: id:article
# shape: mksh:ArticleShape/mk:text
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:article mk:text "Mali: What you need to know" }
