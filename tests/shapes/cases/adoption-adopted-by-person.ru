# A resolution adopted by a person, not a body.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:adoptedBy
# component: sh:ClassConstraintComponent

DELETE { id:adoption-of-resolution-2690 mk:adoptedBy ?o } INSERT { id:adoption-of-resolution-2690 mk:adoptedBy id:issa-konfourou } WHERE { id:adoption-of-resolution-2690 mk:adoptedBy ?o }
