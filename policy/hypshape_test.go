package policy

import (
	"testing"
)

func TestFrequentHypShapes(t *testing.T) {
	var recorded []recordedState
	add := func(state, tactic string, times int) {
		g := parseGoal(state)
		for range times {
			recorded = append(recorded, recordedState{tmpl: makeTemplate(tactic, g.Hyps, nil, nil), hyps: g.Hyps})
		}
	}
	add("a b : ℕ\nh : a = b\n⊢ b = a", "exact h.symm", 3)
	add("a : ℕ\nha : 0 < a\n⊢ 0 ≤ a", "simpa using ha", 2)
	add("p q : Prop\nhp : p\nhq : q\n⊢ p ∧ q", "exact ⟨hp, hq⟩", 5) // two hypotheses
	add("n : ℕ\n⊢ n = n", "rfl", 9)                                 // none
	add("a : ℕ\nh : a = 1\n⊢ a = 1", "exact h", 1)                  // seen once
	got := frequentHypShapes(recorded, 10)
	want := []hypShape{{"exact □.symm", 3, 0}, {"simpa using □", 2, 0}} // every local a proof
	if len(got) != len(want) {
		t.Fatalf("shapes %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("shape %d = %v, want %v", i, got[i], want[i])
		}
	}
	if got := frequentHypShapes(recorded, 1); len(got) != 1 || got[0].text != "exact □.symm" {
		t.Errorf("k=1: %v", got)
	}
}

func TestRecentHyps(t *testing.T) {
	g := parseGoal("α : Type u_1\ns : Set α\nx : α\nhx : x ∈ s\nx✝ : α\nn : ℕ\nh : n ≤ 3\n⊢ x ∈ s ∪ t")
	got := recentHyps(g, 2)
	// Two last proofs and two last variables, each kind counted on its
	// own: x✝ is inaccessible, α a type, s a third variable.
	want := []recentHyp{
		{name: "h", recency: 1},
		{name: "n", variable: true, recency: 1},
		{name: "hx", recency: 0.5},
		{name: "x", variable: true, recency: 0.5},
	}
	if len(got) != len(want) {
		t.Fatalf("recentHyps = %v, want %v", got, want)
	}
	for i, w := range want {
		if got[i].name != w.name || got[i].variable != w.variable || got[i].recency != w.recency {
			t.Errorf("local %d = %+v, want %+v", i, got[i], w)
		}
	}
	if got[2].affinity <= 0 {
		t.Errorf("hx : x ∈ s shares tokens with the target x ∈ s ∪ t, affinity %v", got[2].affinity)
	}
}

func TestIsProof(t *testing.T) {
	for _, tt := range []struct {
		hyp  hypothesis
		want bool
	}{
		{hypothesis{"hx", "x ∈ s"}, true},
		{hypothesis{"this", "P"}, true},
		{hypothesis{"ih", "P n"}, true},
		{hypothesis{"a", "b ≤ c"}, true}, // a relation, whatever the name
		{hypothesis{"n", "ℕ"}, false},
		{hypothesis{"f", "α → β"}, false},
		{hypothesis{"s", "Finset α"}, false},
		{hypothesis{"H", "Subgroup G"}, false},   // named H, but a structure
		{hypothesis{"a", "{ x // p x }"}, false}, // a relation inside braces only
		{hypothesis{"H", "∀ x, p x"}, true},
	} {
		if got := isProof(tt.hyp); got != tt.want {
			t.Errorf("isProof(%v) = %v, want %v", tt.hyp, got, tt.want)
		}
	}
}

func TestSidesIn(t *testing.T) {
	for _, tt := range []struct {
		typ, target string
		lhs, rhs    bool
	}{
		{"f x = g x", "f x + 1 = 2", true, false},
		{"a + b = c", "c ≤ 2", false, true},
		{"p ↔ q ∧ r", "q ∧ r", false, true},
		{"(a   + b) = c", "2 * (a + b) = 0", true, false}, // whitespace and outer parentheses aside
		{"x ≤ y", "x ≤ y", false, false},                  // not an equation
	} {
		lhs, rhs := sidesIn(tt.typ, tt.target)
		if lhs != tt.lhs || rhs != tt.rhs {
			t.Errorf("sidesIn(%q, %q) = %v, %v; want %v, %v", tt.typ, tt.target, lhs, rhs, tt.lhs, tt.rhs)
		}
	}
}
