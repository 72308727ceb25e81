# The quote selector's prefix is not the text right before the span.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape
# component: sh:SPARQLConstraintComponent
# message: does not end right before the span

DELETE { <https://w3id.org/mali-kg/id/span/request#quote> oa:prefix ?p } INSERT { <https://w3id.org/mali-kg/id/span/request#quote> oa:prefix "no such prefix " } WHERE { <https://w3id.org/mali-kg/id/span/request#quote> oa:prefix ?p }
