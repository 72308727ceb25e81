# An adoption with two dates.
# focus: id:adoption-of-resolution-2100
# shape: mksh:AdoptionShape/mk:date
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:adoption-of-resolution-2100 mk:date "2013-04-26"^^xsd:date }
