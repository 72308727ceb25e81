# An adoption of something that is not a resolution.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:adopts
# component: sh:ClassConstraintComponent

DELETE { id:adoption-of-resolution-2690 mk:adopts ?o } INSERT { id:adoption-of-resolution-2690 mk:adopts id:minusma } WHERE { id:adoption-of-resolution-2690 mk:adopts ?o }
