# A claim made by a place: neither an actor, the article nor a source.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:accordingTo
# component: sh:OrConstraintComponent

DELETE { id:claim-mandate-end-konfourou mk:accordingTo ?o } INSERT { id:claim-mandate-end-konfourou mk:accordingTo id:bamako } WHERE { id:claim-mandate-end-konfourou mk:accordingTo ?o }
