package policy

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/leanprove/leanprove/corpus"
)

// syntheticExamples writes n varied examples across n/3 theorems: enough
// held-out groups for the ranker to be fitted, so that every part of
// training runs.
func syntheticExamples(n int) []Example {
	shapes := []struct{ state, tactic string }{
		{"α : Type\n%[1]s t : Set α\nx : α\nh%[1]s : x ∈ %[1]s\nh : %[1]s ⊆ t\n⊢ x ∈ t", "exact h h%[1]s"},
		{"%[1]s : ℕ\n⊢ %[1]s + 0 = %[1]s", "simp"},
		{"p%[1]s q : Prop\nhp : p%[1]s\nhq : q\n⊢ p%[1]s ∧ q", "exact ⟨hp, hq⟩"},
		{"s : Set ℕ\n⊢ ∀ %[1]s ∈ s, %[1]s = %[1]s", "intro %[1]s h%[1]s"},
		{"a b : ℕ\nh%[1]s : ∃ k, a = 2 * k\n⊢ Even a", "obtain ⟨k, rfl⟩ := h%[1]s"},
		{"f : ℕ → ℕ\n%[1]s : ℕ\n⊢ f %[1]s * 1 = f %[1]s", "rw [mul_one]"},
		{"R : Type\ninst✝ : CommRing R\n%[1]s : R\n⊢ %[1]s * 1 = %[1]s", "ring"},
	}
	var out []Example
	for i := range n {
		sh := shapes[i%len(shapes)]
		v := fmt.Sprintf("v%d", i%11)
		out = append(out, Example{
			State: fmt.Sprintf(sh.state, v), Tactic: fmt.Sprintf(sh.tactic, v),
			Theorem: fmt.Sprintf("thm%d", i/3),
		})
	}
	return out
}

// TestTrainIsDeterministic trains twice on the same data and checks the
// model files are identical byte for byte, and that scoring a state twice
// gives identical shares: float sums must not follow map order.
func TestTrainIsDeterministic(t *testing.T) {
	examples := syntheticExamples(300)
	a, b := Train(examples, LearnedParams{}), Train(examples, LearnedParams{})
	if a.ranker == nil {
		t.Fatal("no ranker fitted: the data does not exercise the fitted path")
	}
	var wa, wb bytes.Buffer
	if err := a.Write(&wa); err != nil {
		t.Fatal(err)
	}
	if err := b.Write(&wb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wa.Bytes(), wb.Bytes()) {
		t.Error("two trainings on the same data wrote different model files")
	}
	for _, ex := range examples[:20] {
		s := corpus.ParseState(ex.State)
		x, y := a.score(s), a.score(s)
		if len(x) != len(y) {
			t.Fatalf("%d then %d candidates", len(x), len(y))
		}
		for i := range x {
			if x[i] != y[i] {
				t.Fatalf("candidate %d scored %+v, then %+v", i, x[i], y[i])
			}
		}
	}
}
