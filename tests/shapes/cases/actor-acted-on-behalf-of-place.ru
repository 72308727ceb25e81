# An actor said to act on behalf of a place (the city, not the government it stands for).
# focus: id:issa-konfourou
# shape: mksh:ActorShape/mk:actedOnBehalfOf
# component: sh:ClassConstraintComponent

DELETE { id:issa-konfourou mk:actedOnBehalfOf ?o } INSERT { id:issa-konfourou mk:actedOnBehalfOf id:bamako } WHERE { id:issa-konfourou mk:actedOnBehalfOf ?o }
