# A body's acronym given as a language-tagged string.
# focus: id:unsc
# shape: mksh:BodyShape/mk:acronym
# component: sh:DatatypeConstraintComponent

INSERT DATA { id:unsc mk:acronym "UNSC"@en }
