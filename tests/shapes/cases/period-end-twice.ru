# A period with two ends.
# focus: id:withdrawal-period
# shape: mksh:PeriodShape/mk:endDate
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:withdrawal-period mk:endDate "2024-01-01"^^xsd:date }
