# A text quote selector without oa:prefix.
# focus: <https://w3id.org/mali-kg/id/span/request#quote>
# shape: mksh:TextQuoteSelectorShape/oa:prefix
# component: sh:MinCountConstraintComponent

DELETE WHERE { <https://w3id.org/mali-kg/id/span/request#quote> oa:prefix ?x }
