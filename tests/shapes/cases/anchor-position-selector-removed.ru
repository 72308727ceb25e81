# An anchor without its text position selector.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/oa:hasSelector
# component: sh:QualifiedMinCountConstraintComponent
# message: oa:TextPositionSelector

DELETE DATA { <https://w3id.org/mali-kg/id/span/request> oa:hasSelector <https://w3id.org/mali-kg/id/span/request#position> }
