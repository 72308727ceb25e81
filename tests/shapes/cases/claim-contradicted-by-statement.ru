# A claim contradicted by something that is not a claim.
# focus: id:claim-mandate-end-article
# shape: mksh:ClaimShape/mk:contradictedBy
# component: sh:ClassConstraintComponent

DELETE { id:claim-mandate-end-article mk:contradictedBy ?o } INSERT { id:claim-mandate-end-article mk:contradictedBy id:statement-konfourou-takes-note } WHERE { id:claim-mandate-end-article mk:contradictedBy ?o }
