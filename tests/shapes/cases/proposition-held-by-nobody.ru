# A reason that is nobody's.
# focus: id:reason-mistrust
# shape: mksh:PropositionShape/mk:heldBy
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:reason-mistrust mk:heldBy ?o }
