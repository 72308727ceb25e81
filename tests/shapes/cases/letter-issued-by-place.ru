# A letter sent by a place rather than an actor (the metonym taken literally).
# focus: id:letter-s-2023-463
# shape: mksh:LetterShape/mk:issuedBy
# component: sh:ClassConstraintComponent

DELETE { id:letter-s-2023-463 mk:issuedBy ?o } INSERT { id:letter-s-2023-463 mk:issuedBy id:bamako } WHERE { id:letter-s-2023-463 mk:issuedBy ?o }
