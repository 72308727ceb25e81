# An adoption at two meetings.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:meetingNumber
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:adoption-of-resolution-2690 mk:meetingNumber 9366 }
