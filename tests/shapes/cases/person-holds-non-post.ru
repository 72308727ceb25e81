# A person holding something that is not a post.
# focus: id:issa-konfourou
# shape: mksh:PersonShape/mk:holds
# component: sh:ClassConstraintComponent

DELETE { id:issa-konfourou mk:holds ?o } INSERT { id:issa-konfourou mk:holds id:unsc } WHERE { id:issa-konfourou mk:holds ?o }
