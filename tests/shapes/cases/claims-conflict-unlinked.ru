# Two claims giving different values for the same fact, not linked as conflicting.
# focus: id:claim-mandate-end-article
# shape: mksh:ClaimShape
# component: sh:SPARQLConstraintComponent
# message: but are not linked

DELETE DATA { id:claim-mandate-end-article mk:conflictsWith id:claim-mandate-end-konfourou .
              id:claim-mandate-end-konfourou mk:conflictsWith id:claim-mandate-end-article }
