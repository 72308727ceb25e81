# An offset shifted by one: the text at the position no longer equals the exact quote.
# focus: <https://w3id.org/mali-kg/id/span/request>
# shape: mksh:AnchorShape
# component: sh:SPARQLConstraintComponent
# message: not the exact quote
# cli: yes

DELETE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s ; oa:end ?e }
INSERT { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s1 ; oa:end ?e1 }
WHERE { <https://w3id.org/mali-kg/id/span/request#position> oa:start ?s ; oa:end ?e .
        BIND (STRDT(STR(?s + 1), xsd:integer) AS ?s1) BIND (STRDT(STR(?e + 1), xsd:integer) AS ?e1) }
