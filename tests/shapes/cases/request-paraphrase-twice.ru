# Words both a paraphrase and not.
# focus: id:request-for-withdrawal
# shape: mksh:RequestShape/mk:isParaphrase
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:request-for-withdrawal mk:isParaphrase false }
