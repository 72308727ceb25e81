# A reason not tied to the statement expressing it.
# focus: id:reason-mistrust
# shape: mksh:PropositionShape/mk:expressedIn
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:reason-mistrust mk:expressedIn ?s }
