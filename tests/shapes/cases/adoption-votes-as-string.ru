# The number of votes in favour given as a string.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:votesInFavour
# component: sh:DatatypeConstraintComponent

DELETE { id:adoption-of-resolution-2690 mk:votesInFavour ?o } INSERT { id:adoption-of-resolution-2690 mk:votesInFavour "fifteen" } WHERE { id:adoption-of-resolution-2690 mk:votesInFavour ?o }
