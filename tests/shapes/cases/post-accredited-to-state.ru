# A post accredited to a state, not to a body.
# focus: id:permanent-representative-of-mali
# shape: mksh:PostShape/mk:accreditedTo
# component: sh:ClassConstraintComponent

DELETE { id:permanent-representative-of-mali mk:accreditedTo ?o } INSERT { id:permanent-representative-of-mali mk:accreditedTo id:mali } WHERE { id:permanent-representative-of-mali mk:accreditedTo ?o }
