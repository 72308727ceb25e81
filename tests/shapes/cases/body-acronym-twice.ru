# A body with two acronyms.
# focus: id:unsc
# shape: mksh:BodyShape/mk:acronym
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:unsc mk:acronym "UNSC" , "CSNU" }
