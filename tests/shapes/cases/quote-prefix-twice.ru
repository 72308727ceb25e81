# A text quote selector with two prefixes.
# focus: <https://w3id.org/mali-kg/id/span/request#quote>
# shape: mksh:TextQuoteSelectorShape/oa:prefix
# component: sh:MaxCountConstraintComponent

INSERT DATA { <https://w3id.org/mali-kg/id/span/request#quote> oa:prefix "2023».\n" }
