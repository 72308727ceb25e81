# A resolution without a symbol.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:symbol
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:resolution-2690 mk:symbol ?o }
