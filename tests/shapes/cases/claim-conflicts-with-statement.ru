# A claim in conflict with something that is not a claim.
# focus: id:claim-mandate-end-un
# shape: mksh:ClaimShape/mk:conflictsWith
# component: sh:ClassConstraintComponent

DELETE { id:claim-mandate-end-un mk:conflictsWith ?o } INSERT { id:claim-mandate-end-un mk:conflictsWith id:statement-konfourou-takes-note } WHERE { id:claim-mandate-end-un mk:conflictsWith ?o }
