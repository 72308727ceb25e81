# A document symbol given as a language-tagged string.
# focus: id:letter-s-2023-463
# shape: mksh:LetterShape/mk:symbol
# component: sh:DatatypeConstraintComponent

DELETE { id:letter-s-2023-463 mk:symbol ?o } INSERT { id:letter-s-2023-463 mk:symbol "S/2023/463"@en } WHERE { id:letter-s-2023-463 mk:symbol ?o }
