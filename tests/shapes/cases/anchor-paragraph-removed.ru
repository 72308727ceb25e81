# An anchor that does not say its paragraph.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/mk:paragraph
# component: sh:MinCountConstraintComponent

DELETE WHERE { <https://w3id.org/mali-kg/id/span/request> mk:paragraph ?o }
