# A decision said to be motivated by something that is not a request.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:motivatedBy
# component: sh:ClassConstraintComponent

DELETE { id:adoption-of-resolution-2690 mk:motivatedBy ?o } INSERT { id:adoption-of-resolution-2690 mk:motivatedBy id:withdrawal-of-minusma } WHERE { id:adoption-of-resolution-2690 mk:motivatedBy ?o }
