package policy

import "testing"

func TestMeasureCeiling(t *testing.T) {
	train := []Example{
		{State: "a b : ℕ\n⊢ a + b = b + a", Tactic: "rw [add_comm]"},
		{State: "h : p\n⊢ p", Tactic: "exact h"},
		{State: "⊢ ∀ x ∈ s, x = x", Tactic: "intro x hx"},
	}
	eval := []Example{
		{State: "x y : ℕ\n⊢ x + y = y + x", Tactic: "rw [add_comm]"},      // seen verbatim
		{State: "hq : q\n⊢ q", Tactic: "exact hq"},                        // name from the state, shape seen
		{State: "⊢ ∀ n ∈ t, n = n", Tactic: "intro n hn"},                 // hn is h + a name of the state
		{State: "a : ℕ\n⊢ a * 1 = a", Tactic: "rw [mul_one]"},             // mul_one unknown
		{State: "p q : Prop\nhp : p\n⊢ p ∨ q", Tactic: "exact Or.inl hp"}, // shape exact ◆ ◆ never seen
		{State: "p : Prop\nh : p\n⊢ p", Tactic: "simpa using h"},          // names known, shape not
	}
	got := MeasureCeiling(train, eval)
	want := Ceiling{N: 6, NamesKnown: 4.0 / 6, ShapeKnown: 4.0 / 6, Reachable: 3.0 / 6}
	if got != want {
		t.Errorf("MeasureCeiling = %+v, want %+v", got, want)
	}
	if (MeasureCeiling(train, nil) != Ceiling{}) {
		t.Error("an empty evaluation set has a ceiling")
	}
}

func TestSkeleton(t *testing.T) {
	for in, want := range map[string]string{
		"rw [mul_comm] at h":   "rw [ ◆ ] at ◆",
		"simpa using h":        "simpa using ◆",
		"exact ⟨x, hx⟩":        "exact ⟨ ◆ , ◆ ⟩",
		"simp":                 "simp",
		"obtain ⟨y, rfl⟩ := h": "obtain ⟨ ◆ , ◆ ⟩ : = ◆",
	} {
		if got := skeleton(in); got != want {
			t.Errorf("skeleton(%q) = %q, want %q", in, got, want)
		}
	}
}
