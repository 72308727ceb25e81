# A reason given for something that is neither a request nor an adoption.
# focus: id:reason-mistrust
# shape: mksh:ReasonShape/mk:reasonFor
# component: sh:OrConstraintComponent

DELETE { id:reason-mistrust mk:reasonFor ?o } INSERT { id:reason-mistrust mk:reasonFor id:minusma } WHERE { id:reason-mistrust mk:reasonFor ?o }
