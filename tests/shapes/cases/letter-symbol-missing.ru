# A letter without its document symbol.
# focus: id:letter-s-2023-463
# shape: mksh:LetterShape/mk:symbol
# component: sh:MinCountConstraintComponent

DELETE WHERE { id:letter-s-2023-463 mk:symbol ?o }
