# A letter's symbol not in the form S/YYYY/N.
# focus: id:letter-s-2023-463
# shape: mksh:LetterShape/mk:symbol
# component: sh:PatternConstraintComponent

DELETE { id:letter-s-2023-463 mk:symbol ?o } INSERT { id:letter-s-2023-463 mk:symbol "S/463/2023" } WHERE { id:letter-s-2023-463 mk:symbol ?o }
