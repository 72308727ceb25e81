# An anchor without its text quote selector.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/oa:hasSelector
# component: sh:QualifiedMinCountConstraintComponent
# message: oa:TextQuoteSelector

DELETE DATA { <https://w3id.org/mali-kg/id/span/request> oa:hasSelector <https://w3id.org/mali-kg/id/span/request#quote> }
