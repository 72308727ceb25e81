# The anchor names the wrong paragraph.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape
# component: sh:SPARQLConstraintComponent
# message: starts in paragraph 4

DELETE { <https://w3id.org/mali-kg/id/span/request> mk:paragraph ?p } INSERT { <https://w3id.org/mali-kg/id/span/request> mk:paragraph "5"^^xsd:integer } WHERE { <https://w3id.org/mali-kg/id/span/request> mk:paragraph ?p }
