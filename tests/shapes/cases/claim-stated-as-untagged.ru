# The words of a claim without a language tag.
# focus: id:claim-mandate-end-konfourou
# shape: mksh:ClaimShape/mk:statedAs
# component: sh:DatatypeConstraintComponent

DELETE { id:claim-mandate-end-konfourou mk:statedAs ?o } INSERT { id:claim-mandate-end-konfourou mk:statedAs ?n } WHERE { id:claim-mandate-end-konfourou mk:statedAs ?o BIND (STR(?o) AS ?n) }
