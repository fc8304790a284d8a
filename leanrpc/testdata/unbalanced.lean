theorem t (n : Nat : n = n := by
  rfl
