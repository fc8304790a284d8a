package policy

import (
	"github.com/leanprove/leanprove/corpus"
	"strings"
	"testing"
)

func TestFindLemmas(t *testing.T) {
	hyps := []hypothesis{{"h", "a = b"}, {"hx", "x ∈ s"}}
	tests := []struct {
		tactic, names, single string
	}{
		{"rw [mul_comm]", "mul_comm", "mul_comm"},
		{"rw [← sub_eq_zero] at h", "sub_eq_zero", "sub_eq_zero"},
		{"exact le_top", "le_top", "le_top"},
		{"simp only [h, Set.mem_setOf_eq, add_zero]", "Set.mem_setOf_eq,add_zero", ""},
		{"exact h.symm", "", ""},                 // a hypothesis, not a lemma
		{"intro x hx", "", ""},                   // bound names
		{"rw [foo_bar, foo_bar]", "foo_bar", ""}, // cited twice: no single shape
		{"simp_all", "", ""},                     // the tactic's own name
		{"exact mt _ h", "", ""},                 // a placeholder names no lemma
		{"obtain ⟨_h, rfl⟩ := h", "", ""},        // nor does an unused binder
	}
	for _, tt := range tests {
		u := findLemmas(makeTemplate(tt.tactic, hyps, nil, nil))
		if got := strings.Join(u.Names, ","); got != tt.names || u.Single != tt.single {
			t.Errorf("findLemmas(%q) = %q single %q, want %q single %q", tt.tactic, got, u.Single, tt.names, tt.single)
		}
	}
}

func TestAbstractLemma(t *testing.T) {
	tests := []struct{ text, name, want string }{
		{"rw [mul_comm]", "mul_comm", "rw [◆]"},
		{"rw [mul_comm'] at h", "mul_comm", ""},                             // another name that starts alike
		{"rw [Nat.mul_comm, mul_comm]", "mul_comm", "rw [Nat.mul_comm, ◆]"}, // whole names only
		{"exact le_top", "le_top", "exact ◆"},
	}
	for _, tt := range tests {
		got, ok := abstractLemma(tt.text, tt.name)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("abstractLemma(%q, %q) = %q %v, want %q", tt.text, tt.name, got, ok, tt.want)
		}
	}
}

// TestLemmaFills checks that a shape one neighbour uses is filled with a
// lemma other neighbours cite: no recorded tactic is "rw [mul_comm] at h".
func TestLemmaFills(t *testing.T) {
	exs := []Example{
		{State: "a b : ℕ\nh : a * b = 0\n⊢ b * a = 0", Tactic: "rw [add_comm] at h"},
		{State: "a b : ℕ\nh : a * b = 1\n⊢ b * a = 1", Tactic: "rw [mul_comm]"},
		{State: "c d : ℕ\n⊢ d * c = c * d", Tactic: "exact mul_comm d c"},
	}
	l := Train(exs, LearnedParams{LemmaNames: 4, LemmaShapes: 4})
	q := "x y : ℕ\nh : x * y = 2\n⊢ y * x = 2"
	found := false
	for _, c := range l.score(corpus.ParseState(q)) {
		if c.tactic == "rw [mul_comm] at h" {
			found = true
		}
	}
	if !found {
		t.Errorf("no generated %q among %v", "rw [mul_comm] at h", l.score(corpus.ParseState(q)))
	}
	// Without lemma generation it is not proposed at all.
	off := Train(exs, LearnedParams{LemmaWeight: -1})
	for _, c := range off.score(corpus.ParseState(q)) {
		if c.tactic == "rw [mul_comm] at h" {
			t.Errorf("proposed %q without lemma generation", c.tactic)
		}
	}
}

func TestTemplateFillAlternative(t *testing.T) {
	recorded := parseGoal("a b : ℕ\nh : a = b\n⊢ b = a")
	query := parseGoal("x y : ℕ\nh₁ : x = y\nh₂ : y = x\n⊢ y = x")
	tm := makeTemplate("exact h.symm", recorded.Hyps, nil, nil)
	got, _, alt, _ := tm.fill(recorded.Hyps, hypTypeTokens(recorded.Hyps), newHypMatcher(query))
	if got == alt || alt == "" || !strings.HasPrefix(alt, "exact h") {
		t.Errorf("fill = %q, alternative %q: want two different hypotheses", got, alt)
	}
	// Two distinct hypotheses: no single alternative.
	rec2 := parseGoal("p q : Prop\nhp : p\nhq : q\n⊢ p ∧ q")
	tm2 := makeTemplate("exact ⟨hp, hq⟩", rec2.Hyps, nil, nil)
	if _, _, alt, _ := tm2.fill(rec2.Hyps, hypTypeTokens(rec2.Hyps), newHypMatcher(rec2)); alt != "" {
		t.Errorf("alternative %q for a two-hypothesis template", alt)
	}
}

func TestTacticHead(t *testing.T) {
	tests := []struct{ tactic, want string }{
		{"rw [h]", "rw"},
		{"rw[h]", "rw"},
		{"simp[foo] at h", "simp"},
		{"exact?", "exact?"},
		{"induction' n with n ih", "induction'"},
		{"simp_all!", "simp_all!"},
		{"norm_num1", "norm_num1"},
		{"· simp", "·"},
		{"rfl", "rfl"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := tacticHead(tt.tactic); got != tt.want {
			t.Errorf("tacticHead(%q) = %q, want %q", tt.tactic, got, tt.want)
		}
	}
}
