# The meeting number given as a string.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:meetingNumber
# component: sh:DatatypeConstraintComponent

DELETE { id:adoption-of-resolution-2690 mk:meetingNumber ?o } INSERT { id:adoption-of-resolution-2690 mk:meetingNumber ?n } WHERE { id:adoption-of-resolution-2690 mk:meetingNumber ?o BIND (STR(?o) AS ?n) }
