# A period with two starts.
# focus: id:withdrawal-period
# shape: mksh:PeriodShape/mk:startDate
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:withdrawal-period mk:startDate "2023-06-30"^^xsd:date }
