# An anchor without oa:hasSource.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/oa:hasSource
# component: sh:MinCountConstraintComponent
# message: needs exactly one oa:hasSource
# cli: yes

DELETE WHERE { <https://w3id.org/mali-kg/id/span/request> oa:hasSource ?a }
