# Two claims linked as conflicting though they agree.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape
# component: sh:SPARQLConstraintComponent
# message: give the same value

INSERT DATA { id:claim-mandate-end-konfourou mk:conflictsWith id:claim-mandate-end-un }
