# The anchor's sentence is not the one holding its span.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape
# component: sh:SPARQLConstraintComponent
# message: does not hold its exact quote

DELETE { <https://w3id.org/mali-kg/id/span/request> mk:sentence ?s } INSERT { <https://w3id.org/mali-kg/id/span/request> mk:sentence "This resolution acted the withdrawal of MINUSMA." } WHERE { <https://w3id.org/mali-kg/id/span/request> mk:sentence ?s }
