# A resolution said to decide a mission rather than a withdrawal or a liquidation.
# focus: id:resolution-2690
# shape: mksh:ResolutionShape/mk:decides
# component: sh:OrConstraintComponent

DELETE { id:resolution-2690 mk:decides id:liquidation-of-minusma } INSERT { id:resolution-2690 mk:decides id:minusma } WHERE { id:resolution-2690 mk:decides id:liquidation-of-minusma }
