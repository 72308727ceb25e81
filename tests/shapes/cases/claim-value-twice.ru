# A claim of two values.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:claimedValue
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:claim-mandate-end-konfourou mk:claimedValue "2023-07-02"^^xsd:date }
