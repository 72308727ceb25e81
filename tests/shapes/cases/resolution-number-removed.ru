# A resolution without a number.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:resolutionNumber
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:resolution-2690 mk:resolutionNumber ?o }
