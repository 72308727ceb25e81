# The quote selector's suffix is not the text right after the span.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape
# component: sh:SPARQLConstraintComponent
# message: does not start right after the span

DELETE { <https://w3id.org/mali-kg/id/span/request#quote> oa:suffix ?p } INSERT { <https://w3id.org/mali-kg/id/span/request#quote> oa:suffix " no such suffix" } WHERE { <https://w3id.org/mali-kg/id/span/request#quote> oa:suffix ?p }
