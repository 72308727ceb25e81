# An actor whose metonym is not a place.
# focus: id:government-of-mali
# shape: mksh:ActorShape/mk:metonym
# component: sh:ClassConstraintComponent

DELETE { id:government-of-mali mk:metonym ?o } INSERT { id:government-of-mali mk:metonym id:unsc } WHERE { id:government-of-mali mk:metonym ?o }
