# mk:terminatesMandateOf pointing to something that is not a mission.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:terminatesMandateOf
# component: sh:ClassConstraintComponent

DELETE { id:resolution-2690 mk:terminatesMandateOf ?o } INSERT { id:resolution-2690 mk:terminatesMandateOf id:unsc } WHERE { id:resolution-2690 mk:terminatesMandateOf ?o }
