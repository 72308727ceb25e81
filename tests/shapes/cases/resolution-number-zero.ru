# A resolution numbered 0.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:resolutionNumber
# component: sh:MinInclusiveConstraintComponent

DELETE { id:resolution-2690 mk:resolutionNumber ?o } INSERT { id:resolution-2690 mk:resolutionNumber 0 } WHERE { id:resolution-2690 mk:resolutionNumber ?o }
