namespace Dyn

theorem two_lines (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  refine ⟨?_,
    hq⟩
  exact hp

example : True := by
  trivial

example : 1 = 1 := by
  rfl

end Dyn
