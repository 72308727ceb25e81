# An anchor on two sources.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/oa:hasSource
# component: sh:MaxCountConstraintComponent

INSERT DATA { <https://w3id.org/mali-kg/id/span/request> oa:hasSource <https://w3id.org/mali-kg/id/another-article> }
