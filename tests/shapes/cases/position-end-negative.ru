# A negative end offset.
# focus: <https://w3id.org/mali-kg/id/span/request#position>
# shape: mksh:TextPositionSelectorShape/oa:end
# component: sh:MinInclusiveConstraintComponent

DELETE { <https://w3id.org/mali-kg/id/span/request#position> oa:end ?o } INSERT { <https://w3id.org/mali-kg/id/span/request#position> oa:end -1 } WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:end ?o }
