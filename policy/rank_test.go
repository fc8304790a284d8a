package policy

import (
	"testing"

	"github.com/leanprove/leanprove/corpus"
)

// TestRankerFits checks that fitted weights rank a planted signal: the
// recorded tactic is always the candidate with the largest first feature.
func TestRankerFits(t *testing.T) {
	var groups []rankGroup
	for g := range 40 {
		xs := make([][rankFeatures]float64, 5)
		for i := range xs {
			xs[i][0] = float64((i*7 + g) % 5)
			xs[i][rankFeatures-1] = float64((i*3 + g) % 5) // noise
		}
		target := 0
		for i := range xs {
			if xs[i][0] > xs[target][0] {
				target = i
			}
		}
		groups = append(groups, rankGroup{xs, target})
	}
	w := fitRanker(groups)
	if len(w) != rankFeatures || w[0] <= 0 || w[0] <= abs(w[rankFeatures-1]) {
		t.Errorf("weights %v: want the planted first feature to dominate", w)
	}
	if fitRanker(groups[:10]) != nil {
		t.Error("fitted weights on 10 groups; want the hand-made mixture")
	}
}

func abs(x float64) float64 { return max(x, -x) }

// TestCandidatesCarryTheirSources checks that the generators' candidates
// reach the ranker with what it weighs them by: structural tactics with
// their generator, one-constant shapes with a shape key the goal-shape
// statistics know.
func TestCandidatesCarryTheirSources(t *testing.T) {
	examples := syntheticExamples(120)
	examples = append(examples,
		Example{State: "n : ℕ\n⊢ harmonic n = 1", Tactic: "unfold harmonic", Theorem: "h1"},
		Example{State: "m : ℕ\n⊢ harmonic m ≤ m", Tactic: "unfold harmonic", Theorem: "h2"},
		Example{State: "k : ℕ\n⊢ fib k = 1", Tactic: "unfold fib", Theorem: "h3"},
	)
	l := Train(examples, LearnedParams{})
	s := corpus.ParseState("R : Type\ninst✝ : CommRing R\nhx : ∃ y, 0 < y\n⊢ ∀ z ∈ S, catalan z = 1")
	cands, _ := l.candidates(s)
	byText := map[string]candidate{}
	for _, c := range cands {
		byText[c.tactic] = c
	}
	for text, gen := range map[string]generator{
		"intro z hz":           genIntro,
		"obtain ⟨y, hy⟩ := hx": genDestruct,
		"nontriviality R":      genNontrivial,
	} {
		if c, ok := byText[text]; !ok || c.gen != gen {
			t.Errorf("%q: present %v, generator %v, want %v", text, ok, c.gen, gen)
		}
	}
	c, ok := byText["unfold catalan"]
	if !ok {
		t.Fatal("the one-constant shape unfold ◈ was not filled with the target's constant")
	}
	if c.shapeKey != "unfold ◈0" {
		t.Errorf("unfold catalan has shape key %q, want unfold ◈0", c.shapeKey)
	}
	if _, seen := l.shapeStats.score(c.shapeKey, nil); !seen {
		t.Errorf("shape key %q is unknown to the goal-shape statistics", c.shapeKey)
	}
}
