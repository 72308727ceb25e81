# A primary source identified by an address that is not http(s).
# focus: <ftp://ftp.example.org/sc15341.txt>
# shape: mksh:SourceShape
# component: sh:PatternConstraintComponent

INSERT DATA { <ftp://ftp.example.org/sc15341.txt> a mk:Source ; rdfs:label "SC/15341 by FTP"@en . }
