# A selector given as a blank node.
# focus: _:
# shape: mksh:TextQuoteSelectorShape
# component: sh:NodeKindConstraintComponent

INSERT DATA { _:q a oa:TextQuoteSelector ; oa:exact "Bamako" ; oa:prefix "2023, " ; oa:suffix " had" . }
