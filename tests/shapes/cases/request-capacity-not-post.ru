# A request made in the capacity of a person, not a post.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:inCapacityOf
# component: sh:ClassConstraintComponent

DELETE { id:request-for-withdrawal mk:inCapacityOf ?o } INSERT { id:request-for-withdrawal mk:inCapacityOf id:abdoulaye-diop } WHERE { id:request-for-withdrawal mk:inCapacityOf ?o }
