# A text quote selector with two suffixes.
# focus: <https://w3id.org/mali-kg/id/span/request#quote>
# shape: mksh:TextQuoteSelectorShape/oa:suffix
# component: sh:MaxCountConstraintComponent

INSERT DATA { <https://w3id.org/mali-kg/id/span/request#quote> oa:suffix ", the UN" }
