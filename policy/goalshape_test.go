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
		{"f : ℝ → ℝ\n⊢ UniformContinuous f", 1, []string{"lead:Const"}, []string{"sym:if"}}, // "if" inside a word
		{"H : ∀ x, p x ∧ q x\n⊢ 𝓝 x = l", 1, []string{"lead:Const"}, []string{"hyp:∧"}},     // a ∀ hypothesis is no ∧
		{"⊢ ∃! n, n = 0", 1, []string{"lead:∃!"}, []string{"lead:∃"}},
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
	for name, misuse := range map[string]func(){
		"add after finish": func() { s.add("simp", nil) },
		"finish twice":     s.finish,
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			misuse()
		}()
	}
	unfinished := newShapeStats(&shapeVocab{ids: map[string]int32{}})
	unfinished.add("simp", []string{"rel:="})
	if _, ok := unfinished.score("simp", unfinished.tokenIDs([]string{"rel:="})); ok {
		t.Error("scored before finish")
	}
}

func TestTargetConsts(t *testing.T) {
	for _, tt := range []struct {
		state string
		want  []string
	}{
		// not n, s.card (locals), k (bound), in (keyword), ℕ, i, f (one letter)
		{"n : ℕ\ns : Finset ℕ\n⊢ ∀ (k : ℕ), harmonic n = ∑ i in range n, f s.card k + harmonic k", []string{"harmonic", "range"}},
		{"α : Type u_1\n⊢ (fun x x_1 => x ⊔ x_1) = sup", []string{"sup"}}, // x_1 is Lean's renamed binder
		{"⊢ { p // Commute p.1 p.2 } = False", []string{"Commute"}},       // p.1 projects a bound p; False is a sort-like constant
		{"⊢ Sort u_1 = Type u_2", nil},
	} {
		g := parseGoal(tt.state)
		if got := targetConsts(g, targetBinders(g.Target)); !slices.Equal(got, tt.want) {
			t.Errorf("targetConsts(%q) = %q, want %q", tt.state, got, tt.want)
		}
	}
}

func TestLooksBound(t *testing.T) {
	for name, want := range map[string]bool{
		"x": true, "x₁": true, "x'": true, "n2": true, "x_1": true, "ℕ": true,
		"harmonic": false, "fib": false, "x_y": false, "_": false, "Nat.succ": false,
	} {
		if got := looksBound(name); got != want {
			t.Errorf("looksBound(%q) = %v, want %v", name, got, want)
		}
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
