# A claim contradicted by a primary source is a Warning, not a Violation.
# focus: id:claim-mandate-end-article
# shape: mksh:ContradictedClaimShape
# component: sh:SPARQLConstraintComponent
# severity: Warning
# message: comes from a primary source

INSERT DATA { id:claim-mandate-end-konfourou rdfs:comment "unchanged apart from this comment"@en }
