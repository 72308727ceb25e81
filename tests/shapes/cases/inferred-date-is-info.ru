# An inferred date is reported for information (the real data has it).
# focus: id:adoption-of-resolution-2690
# shape: mksh:InferredDateShape
# component: sh:SPARQLConstraintComponent
# severity: Info
# message: is inferred, not stated in the article

INSERT DATA { id:request-for-withdrawal rdfs:comment "unchanged apart from this comment"@en }
