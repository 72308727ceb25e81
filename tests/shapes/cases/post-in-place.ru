# A post belonging to a place rather than an actor.
# focus: id:permanent-representative-of-mali
# shape: mksh:PostShape/mk:postIn
# component: sh:ClassConstraintComponent

DELETE { id:permanent-representative-of-mali mk:postIn ?o } INSERT { id:permanent-representative-of-mali mk:postIn id:west-africa } WHERE { id:permanent-representative-of-mali mk:postIn ?o }
