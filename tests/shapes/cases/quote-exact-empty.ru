# An empty exact quote.
# focus: <https://w3id.org/mali-kg/id/span/request#quote>
# shape: mksh:TextQuoteSelectorShape/oa:exact
# component: sh:MinLengthConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#quote> oa:exact ?o } INSERT { <https://w3id.org/mali-kg/id/span/request#quote> oa:exact "" } WHERE { <https://w3id.org/mali-kg/id/span/request#quote> oa:exact ?o }
