# A negative paragraph number.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/mk:paragraph
# component: sh:MinInclusiveConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request> mk:paragraph ?o } INSERT { <https://w3id.org/mali-kg/id/span/request> mk:paragraph -1 } WHERE { <https://w3id.org/mali-kg/id/span/request> mk:paragraph ?o }
