# The end of a mandate given as a plain string, not an xsd:date.
# focus: id:minusma
# shape: mksh:MissionShape/mk:mandateTerminatedAsOf
# component: sh:DatatypeConstraintComponent

INSERT DATA { id:minusma mk:mandateTerminatedAsOf "2023-06-30" }
