# A date both from a primary source and stated in the article.
# focus: id:adoption-of-resolution-2100
# shape: mksh:DateBasisShape/mk:dateBasis
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:adoption-of-resolution-2100 mk:dateBasis mk:StatedInArticle }
