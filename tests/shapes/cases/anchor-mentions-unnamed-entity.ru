# A span said to mention an entity none of whose names it contains (the title does not name
# the Security Council).
# focus: <https://w3id.org/mali-kg/id/span/title>
# shape: mksh:AnchorShape
# component: sh:SPARQLConstraintComponent
# message: none of its names occurs in the span's words
# cli: yes

INSERT DATA { <https://w3id.org/mali-kg/id/span/title> mk:mentions id:unsc }
