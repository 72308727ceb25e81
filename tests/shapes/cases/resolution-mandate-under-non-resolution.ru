# The mandate terminated said to be given by a body rather than a resolution.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:terminatesMandateUnder
# component: sh:ClassConstraintComponent

DELETE { id:resolution-2690 mk:terminatesMandateUnder ?o } INSERT { id:resolution-2690 mk:terminatesMandateUnder id:unsc } WHERE { id:resolution-2690 mk:terminatesMandateUnder ?o }
