# An adoption with two different numbers of votes in favour.
# focus: id:adoption-of-resolution-2690
# shape: mksh:AdoptionShape/mk:votesInFavour
# component: sh:MaxCountConstraintComponent

INSERT DATA { id:adoption-of-resolution-2690 mk:votesInFavour 14 }
