# A claim derived from the article, which is not a primary source.
# focus: id:claim-mandate-end-un
# shape: mksh:ClaimShape/prov:wasDerivedFrom
# component: sh:ClassConstraintComponent

INSERT DATA { id:claim-mandate-end-un prov:wasDerivedFrom id:article }
