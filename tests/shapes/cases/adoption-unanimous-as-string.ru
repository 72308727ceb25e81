# The vote's unanimity given as a string.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:unanimous
# component: sh:DatatypeConstraintComponent

DELETE { id:adoption-of-resolution-2690 mk:unanimous ?o } INSERT { id:adoption-of-resolution-2690 mk:unanimous "yes" } WHERE { id:adoption-of-resolution-2690 mk:unanimous ?o }
