# A conflict between two claims published in one direction only.
# focus: id:claim-mandate-end-article
# shape: mksh:ClaimShape
# component: sh:SPARQLConstraintComponent
# message: mk:conflictsWith is symmetric; publish both directions

DELETE DATA { id:claim-mandate-end-konfourou mk:conflictsWith id:claim-mandate-end-article }
