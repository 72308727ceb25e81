# The article's SHA-256 does not match its text.
# focus: id:article
# shape: mksh:ArticleShape
# component: sh:SPARQLConstraintComponent
# message: is not the SHA-256 of its mk:text

DELETE { id:article mk:sha256 ?h } INSERT { id:article mk:sha256 "0000000000000000000000000000000000000000000000000000000000000000" } WHERE { id:article mk:sha256 ?h }
