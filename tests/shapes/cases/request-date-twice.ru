# A request with two dates.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:date
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:request-for-withdrawal mk:date "2023-06-17"^^xsd:date }
