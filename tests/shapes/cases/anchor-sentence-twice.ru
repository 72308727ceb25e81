# An anchor with two sentences.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/mk:sentence
# component: sh:MaxCountConstraintComponent

INSERT DATA { <https://w3id.org/mali-kg/id/span/request> mk:sentence "On June 16, 2023, Bamako had requested." }
