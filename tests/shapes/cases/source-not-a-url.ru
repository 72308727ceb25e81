# A primary source not identified by its URL.
# focus: id:some-source
# shape: mksh:SourceShape
# component: sh:NotConstraintComponent

INSERT DATA { id:some-source a mk:Source ; rdfs:label "Some source"@en }
