# A resolution's symbol given as a language-tagged string.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:symbol
# component: sh:DatatypeConstraintComponent

DELETE { id:resolution-2690 mk:symbol ?o } INSERT { id:resolution-2690 mk:symbol ?n } WHERE { id:resolution-2690 mk:symbol ?o BIND (STRLANG(STR(?o), "en") AS ?n) }
