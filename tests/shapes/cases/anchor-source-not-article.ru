# An anchor whose source is not the article.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape/oa:hasSource
# component: sh:ClassConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request> oa:hasSource ?o } INSERT { <https://w3id.org/mali-kg/id/span/request> oa:hasSource id:minusma } WHERE { <https://w3id.org/mali-kg/id/span/request> oa:hasSource ?o }
