# The paragraph is a plain string.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/mk:paragraph
# component: sh:DatatypeConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request> mk:paragraph ?p } INSERT { <https://w3id.org/mali-kg/id/span/request> mk:paragraph "4" } WHERE { <https://w3id.org/mali-kg/id/span/request> mk:paragraph ?p }
