# A resolution said to cite a person rather than a letter.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:cites
# component: sh:ClassConstraintComponent

DELETE { id:resolution-2690 mk:cites ?o } INSERT { id:resolution-2690 mk:cites id:abdoulaye-diop } WHERE { id:resolution-2690 mk:cites ?o }
