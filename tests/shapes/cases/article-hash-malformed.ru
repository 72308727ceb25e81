# A SHA-256 that is not 64 lowercase hex digits.
# focus: id:article
# shape: mksh:ArticleShape/mk:sha256
# component: sh:PatternConstraintComponent

DELETE { id:article mk:sha256 ?h } INSERT { id:article mk:sha256 "E125D7" } WHERE { id:article mk:sha256 ?h }
