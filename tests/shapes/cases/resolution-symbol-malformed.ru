# A UN symbol that is not in the form S/RES/N (YYYY).
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:symbol
# component: sh:PatternConstraintComponent

DELETE { id:resolution-2690 mk:symbol ?o } INSERT { id:resolution-2690 mk:symbol "S/RES/2690(2023)" } WHERE { id:resolution-2690 mk:symbol ?o }
