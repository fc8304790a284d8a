package policy

import (
	"strings"
	"testing"
)

func TestTargetBinders(t *testing.T) {
	tests := []struct{ target, want string }{
		{"∀ (n : ℕ), n + 0 = n", "n"},
		{"∀ x ∈ s, f x ∈ t", "x"},
		{"∀ {a b : α} [inst : Foo a], a = b", "a,b,inst"},
		{"∀ a b, a + b = b + a", "a,b"},
		{"∀ᶠ x in l, p x", ""},
		{"x ∈ s", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(targetBinders(tt.target), ","); got != tt.want {
			t.Errorf("targetBinders(%q) = %q, want %q", tt.target, got, tt.want)
		}
	}
}

func TestTemplateFill(t *testing.T) {
	recorded := parseGoal("α : Type\ns t : Set α\nhst : s ⊆ t\n⊢ ∀ x ∈ s, x ∈ t")
	query := parseGoal("β : Type\nA B : Set β\nhAB : A ⊆ B\nhne : A.Nonempty\n⊢ ∀ y ∈ A, y ∈ B")
	m := newHypMatcher(query)
	toks := hypTypeTokens(recorded.Hyps)
	tests := []struct{ tactic, want string }{
		{"intro x hx", "intro y hy"},
		{"exact fun x hx => hst hx", "exact fun y hy => hAB hy"},
		{"exact hst.trans le_rfl", "exact hAB.trans le_rfl"},
		{"simp", "simp"},
	}
	for _, tt := range tests {
		tm := makeTemplate(tt.tactic, recorded.Hyps, targetBinders(recorded.Target), nil)
		got, fit, _, _ := tm.fill(recorded.Hyps, toks, m)
		if got != tt.want {
			t.Errorf("fill(%q) = %q, want %q", tt.tactic, got, tt.want)
		}
		if fit < 0.3 {
			t.Errorf("fill(%q): fit %v; the subset hypotheses match well", tt.tactic, fit)
		}
	}
	// Two different recorded hypotheses get two different query ones.
	rec2 := parseGoal("p q : Prop\nhp : p\nhq : q\n⊢ p ∧ q")
	q2 := newHypMatcher(parseGoal("r s : Prop\nhr : r\nhs : s\n⊢ r ∧ s"))
	tm := makeTemplate("exact ⟨hp, hq⟩", rec2.Hyps, nil, nil)
	if got, _, _, _ := tm.fill(rec2.Hyps, hypTypeTokens(rec2.Hyps), q2); got != "exact ⟨hr, hs⟩" {
		t.Errorf("got %q", got)
	}
}
