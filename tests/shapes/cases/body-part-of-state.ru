# A body said to be part of something that is not a body.
# focus: id:unsc
# shape: mksh:BodyShape/mk:subOrganizationOf
# component: sh:ClassConstraintComponent

DELETE { id:unsc mk:subOrganizationOf ?o } INSERT { id:unsc mk:subOrganizationOf id:mali } WHERE { id:unsc mk:subOrganizationOf ?o }
