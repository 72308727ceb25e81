# A date basis that is not one of the three.
# focus: id:request-for-withdrawal
# shape: mksh:DateBasisShape/mk:dateBasis
# component: sh:InConstraintComponent

DELETE { id:request-for-withdrawal mk:dateBasis ?b } INSERT { id:request-for-withdrawal mk:dateBasis mk:Rumour } WHERE { id:request-for-withdrawal mk:dateBasis ?b }
