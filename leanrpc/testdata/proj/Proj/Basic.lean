/-! A fixture for the static parser: namespaces, sections, sorry'd
theorems, tactic blocks, comments that mention theorem and sorry. -/
import Init.Data.Nat.Basic
import Init.Omega

set_option autoImplicit false

namespace Proj

/-- Adding zero. The docstring says `theorem fake : False := sorry`. -/
theorem add_zero' (n : Nat) : n + 0 = n := by
  simp

-- theorem commented_out : False := sorry
theorem two_steps (a b : Nat) (h : a = b) :
    b = a := by
  subst h
  rfl

section Inner
variable (x : Nat)

@[simp] lemma pending (n : Nat) : n * 1 = n := by sorry

theorem multi (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  constructor
  · exact hp
  · -- the second half
    exact hq

end Inner

namespace Deep
theorem term_mode : True := trivial

theorem string_sorry : "sorry" = "sorry" := rfl

private theorem uses_sorry (n : Nat) : n = n := sorry
end Deep

theorem _root_.rooted : 1 + 1 = 2 := by decide

set_option maxHeartbeats 400000 in
theorem with_option (n : Nat) : n ≤ n + 1 := by
  omega

example : 2 = 2 := by
  rfl

end Proj

theorem unicode_goal (α : Type) (xs : List α) : xs ++ [] = xs := by
  simp -- closes it
