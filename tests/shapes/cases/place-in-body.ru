# A place located in something that is not a place.
# focus: id:mali
# shape: mksh:PlaceShape/mk:locatedIn
# component: sh:ClassConstraintComponent

DELETE { id:mali mk:locatedIn ?o } INSERT { id:mali mk:locatedIn id:unsc } WHERE { id:mali mk:locatedIn ?o }
