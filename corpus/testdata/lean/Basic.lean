import Mathlib.Data.Nat.Basic

namespace Demo

theorem add_zero' (n : Nat) : n + 0 = n := by
  simp

theorem and_swap (p q : Prop) (hp : p) (hq : q) : q ∧ p := by
  constructor
  · exact hq
  · exact hp

def double (n : Nat) : Nat := 2 * n

theorem term_mode : True := trivial

theorem todo (n : Nat) : n ≤ n + 1 := by
  sorry

end Demo
