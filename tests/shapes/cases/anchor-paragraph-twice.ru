# An anchor in two paragraphs.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/mk:paragraph
# component: sh:MaxCountConstraintComponent

INSERT DATA { <https://w3id.org/mali-kg/id/span/request> mk:paragraph 5 }
