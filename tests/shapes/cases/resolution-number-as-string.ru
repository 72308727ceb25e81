# A resolution number given as a string.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:resolutionNumber
# component: sh:DatatypeConstraintComponent

DELETE { id:resolution-2690 mk:resolutionNumber ?o } INSERT { id:resolution-2690 mk:resolutionNumber "2690" } WHERE { id:resolution-2690 mk:resolutionNumber ?o }
