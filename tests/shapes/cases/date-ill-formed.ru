# A date typed xsd:date whose lexical form is not a date.
# focus: id:request-for-withdrawal
# shape: mksh:DatedShape/mk:date
# component: sh:DatatypeConstraintComponent

DELETE { id:request-for-withdrawal mk:date ?d } INSERT { id:request-for-withdrawal mk:date "2023-06-31"^^xsd:date } WHERE { id:request-for-withdrawal mk:date ?d }
