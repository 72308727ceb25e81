# An empty sentence.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/mk:sentence
# component: sh:MinLengthConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request> mk:sentence ?o } INSERT { <https://w3id.org/mali-kg/id/span/request> mk:sentence "" } WHERE { <https://w3id.org/mali-kg/id/span/request> mk:sentence ?o }
