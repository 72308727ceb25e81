# A post that belongs to two actors.
# focus: id:srsg-mali
# shape: mksh:PostShape/mk:postIn
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:srsg-mali mk:postIn id:united-nations }
