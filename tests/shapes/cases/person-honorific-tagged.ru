# An honorific given as a language-tagged string, not an xsd:string.
# focus: id:issa-konfourou
# shape: mksh:PersonShape/mk:honorific
# component: sh:DatatypeConstraintComponent

DELETE { id:issa-konfourou mk:honorific ?o } INSERT { id:issa-konfourou mk:honorific ?n } WHERE { id:issa-konfourou mk:honorific ?o BIND (STRLANG(STR(?o), "en") AS ?n) }
