# A text quote selector without oa:suffix.
# focus: <https://w3id.org/mali-kg/id/span/request#quote>
# shape: mksh:TextQuoteSelectorShape/oa:suffix
# component: sh:MinCountConstraintComponent

DELETE WHERE { <https://w3id.org/mali-kg/id/span/request#quote> oa:suffix ?o }
