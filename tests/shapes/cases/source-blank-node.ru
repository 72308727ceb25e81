# A primary source given as a blank node, not by its URL.
# focus: _:
# shape: mksh:SourceShape
# component: sh:NodeKindConstraintComponent

INSERT DATA { _:s a mk:Source ; rdfs:label "A press release"@en . }
