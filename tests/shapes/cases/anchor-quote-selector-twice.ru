# An anchor with two text quote selectors (one of another span).
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/oa:hasSelector
# component: sh:QualifiedMaxCountConstraintComponent
# message: oa:TextQuoteSelector

INSERT DATA { <https://w3id.org/mali-kg/id/span/request> oa:hasSelector <https://w3id.org/mali-kg/id/span/un-mission#quote> }
