lemma one_pos' : 0 < 1 := by
  decide
