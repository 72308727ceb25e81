# A resolution that decides something other than a withdrawal or a liquidation.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:decides
# component: sh:OrConstraintComponent

DELETE { id:resolution-2690 mk:decides ?o } INSERT { id:resolution-2690 mk:decides id:minusma } WHERE { id:resolution-2690 mk:decides ?o }
