# An article with two digests.
# focus: id:article
# shape: mksh:ArticleShape/mk:sha256
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:article mk:sha256 "0000000000000000000000000000000000000000000000000000000000000000" }
