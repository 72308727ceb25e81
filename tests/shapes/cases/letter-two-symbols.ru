# A letter with two document symbols.
# focus: id:letter-s-2023-463
# shape: mksh:LetterShape/mk:symbol
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:letter-s-2023-463 mk:symbol "S/2023/464" }
