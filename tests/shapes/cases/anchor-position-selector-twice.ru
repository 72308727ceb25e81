# An anchor with two text position selectors (one of another span).
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/oa:hasSelector
# component: sh:QualifiedMaxCountConstraintComponent
# message: oa:TextPositionSelector

INSERT DATA { <https://w3id.org/mali-kg/id/span/request> oa:hasSelector <https://w3id.org/mali-kg/id/span/un-mission#position> }
