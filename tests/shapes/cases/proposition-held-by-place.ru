# A commitment held by a place, not an actor.
# focus: id:commitment-cooperation
# shape: mksh:PropositionShape/mk:heldBy
# component: sh:ClassConstraintComponent

DELETE { id:commitment-cooperation mk:heldBy ?o } INSERT { id:commitment-cooperation mk:heldBy id:bamako } WHERE { id:commitment-cooperation mk:heldBy ?o }
