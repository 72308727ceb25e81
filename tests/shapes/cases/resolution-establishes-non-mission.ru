# A resolution that establishes something other than a mission.
# focus: id:resolution-2100
# shape: mksh:ResolutionShape/mk:establishes
# component: sh:ClassConstraintComponent

DELETE { id:resolution-2100 mk:establishes ?o } INSERT { id:resolution-2100 mk:establishes id:mali } WHERE { id:resolution-2100 mk:establishes ?o }
