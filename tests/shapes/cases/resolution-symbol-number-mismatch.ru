# A symbol that does not carry the resolution's number.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape
# component: sh:SPARQLConstraintComponent
# message: does not carry the resolution number

DELETE { id:resolution-2690 mk:symbol ?o } INSERT { id:resolution-2690 mk:symbol "S/RES/2691 (2023)" } WHERE { id:resolution-2690 mk:symbol ?o }
