# A group said to be part of something that is not a body.
# focus: id:malian-people
# shape: mksh:GroupShape/mk:subOrganizationOf
# component: sh:ClassConstraintComponent

INSERT DATA { id:malian-people mk:subOrganizationOf id:mali }
