package policy

import (
	"math"
	"slices"
	"testing"
)

func TestGoalShape(t *testing.T) {
	for _, tt := range []struct {
		state  string
		goals  int
		has    []string
		hasNot []string
	}{
		{"p q : Prop\n⊢ p ∧ q ↔ q ∧ p", 1, []string{"goals:1", "rel:↔"}, []string{"rel:∧"}},
		{"s : Set ℕ\n⊢ ∀ x ∈ s, x = 0", 2, []string{"goals:2-3", "lead:∀", "rel:=", "bodyrel:="}, []string{"rel:∈", "mentions:ℕ"}},
		{"α : Type\n⊢ Nonempty α", 1, []string{"lead:Const", "rel:none", "head:Nonempty"}, []string{"hyps:0"}},
		{"h : ∃ n, 0 < n\nh' : False\n⊢ f (a = b)", 1, []string{"hyp:∃", "hyp:False", "rel:none"}, []string{"rel:="}},
		{"x y : ℕ\nh : x = y + 1\n⊢ x ≤ y", 5, []string{"goals:4+", "hyp:x=e", "rel:≤"}, nil},
		{"a : ℕ\nh : a ≤ 1\n⊢ a ≤ 1", 1, []string{"hyp:=target"}, nil},
		{"f : ℕ → ℝ\n⊢ ∑ i in range n, f i = ↑n", 1, []string{"sym:∑", "sym:↑"}, []string{"mentions:ℝ"}}, // the target's types only
	} {
		got := goalShape(parseGoal(tt.state), tt.goals)
		for _, tok := range tt.has {
			if !slices.Contains(got, tok) {
				t.Errorf("goalShape(%q) = %q, missing %q", tt.state, got, tok)
			}
		}
		for _, tok := range tt.hasNot {
			if slices.Contains(got, tok) {
				t.Errorf("goalShape(%q) = %q, has %q", tt.state, got, tok)
			}
		}
	}
}

func TestOuterRelation(t *testing.T) {
	for text, want := range map[string]string{
		"a ∧ b ↔ b ∧ a":        "↔",
		"f (a = b) ≤ c":        "≤",
		"x ∈ s ∪ t":            "∈",
		"Continuous f":         "none",
		"(fun x => x = 0) = g": "=",
		"p → q ∨ r":            "→",
	} {
		if got := outerRelation(text); got != want {
			t.Errorf("outerRelation(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestShapeStats plants a tactic used only under one token and checks the
// score rises with that token, falls without it, and is absent for keys
// never seen.
func TestShapeStats(t *testing.T) {
	s := newShapeStats(&shapeVocab{ids: map[string]int32{}})
	for range 20 {
		s.add("constructor", []string{"rel:↔", "goals:1"})
		s.add("simp", []string{"rel:=", "goals:1"})
	}
	for range 5 {
		s.add("simp", []string{"rel:↔", "goals:1"})
	}
	s.finish()
	iff := s.tokenIDs([]string{"rel:↔", "goals:1", "never-seen"})
	eq := s.tokenIDs([]string{"rel:=", "goals:1"})
	if len(iff) != 2 {
		t.Fatalf("tokenIDs kept %d tokens, want the 2 seen ones", len(iff))
	}
	onIff, ok := s.score("constructor", iff)
	onEq, _ := s.score("constructor", eq)
	if !ok || onIff <= 0 || onEq >= 0 {
		t.Errorf("constructor: %v on ↔ (want > 0), %v on = (want < 0)", onIff, onEq)
	}
	// The precomputed form equals the naive Bayes sum: constructor is 20 of
	// 45 states, with ↔ in 20 of 25 and goals:1 in 20 of 45.
	base := 20.0 / 45
	want := math.Log((20+shapeSmoothing*base)/(25+shapeSmoothing)/base) +
		math.Log((20+shapeSmoothing*base)/(45+shapeSmoothing)/base)
	if math.Abs(onIff-want) > 1e-12 {
		t.Errorf("constructor on ↔ scored %v, want %v", onIff, want)
	}
	if simpEq, _ := s.score("simp", eq); simpEq <= 0 {
		t.Errorf("simp on =: %v, want > 0", simpEq)
	}
	if _, ok := s.score("ring", iff); ok {
		t.Error("ring was never recorded, yet scored")
	}
}

func TestTargetConsts(t *testing.T) {
	g := parseGoal("n : ℕ\ns : Finset ℕ\n⊢ ∀ (k : ℕ), harmonic n = ∑ i in range n, f s.card k + harmonic k")
	got := targetConsts(g, targetBinders(g.Target))
	want := []string{"harmonic", "range"} // not n, s.card (locals), k (bound), in (keyword), ℕ, i, f (one letter)
	if !slices.Equal(got, want) {
		t.Errorf("targetConsts = %q, want %q", got, want)
	}
}

// TestConstSlots checks that a recorded "unfold harmonic" becomes a shape
// about the target's first constant and is refilled with the query's.
func TestConstSlots(t *testing.T) {
	rec := parseGoal("n : ℕ\n⊢ harmonic n = 1")
	consts := targetConsts(rec, nil)
	tm := makeTemplate("unfold harmonic", rec.Hyps, nil, consts)
	if got := tm.abstractText(); got != "unfold ◈0" {
		t.Errorf("abstractText = %q, want unfold ◈0", got)
	}
	query := parseGoal("m : ℕ\n⊢ fib m ≤ 2 ^ m")
	got, _, _, _ := tm.fill(rec.Hyps, hypTypeTokens(rec.Hyps), newHypMatcher(query))
	if got != "unfold fib" {
		t.Errorf("fill = %q, want unfold fib", got)
	}
	shapes := frequentConstShapes([]recordedState{{tmpl: tm}, {tmpl: tm}, {tmpl: makeTemplate("simp", nil, nil, nil)}}, 5)
	if len(shapes) != 1 || shapes[0].text != "unfold ◈" || shapes[0].count != 2 {
		t.Errorf("frequentConstShapes = %v, want [unfold ◈ ×2]", shapes)
	}
}
