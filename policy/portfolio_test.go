package policy

import (
	"context"
	"slices"
	"testing"

	"github.com/leanprove/leanprove/search"
)

func TestPortfolioRanksByGoalShape(t *testing.T) {
	tests := []struct {
		name  string
		goal  string
		first string // the tactic that must rank first
	}{
		{"hypothesis matches target", "n : Nat\nh : n + 1 = 5\n⊢ n + 1 = 5", "exact h"},
		{"binders are introduced by name", "⊢ ∀ (a b : Nat), a + b = b + a", "intro a b"},
		{"a bounded binder and its proof", "s : Set ℕ\n⊢ ∀ x ∈ s, x = x", "intro x hx"},
		{"an arrow's premise", "p q : Prop\n⊢ p → q → p", "intro h h'"},
		{"a negation", "p : Prop\n⊢ ¬(p ∧ ¬p)", "intro h"},
		{"the names before an instance binder", "⊢ ∀ {α : Type} [inst : Inhabited α], True", "intro α"},
		{"arithmetic goes to omega", "a b : Int\n⊢ a + b - b = a", "omega"},
		{"conjunctions split", "⊢ True ∧ True", "constructor"},
		{"a false hypothesis", "h : False\n⊢ 1 = 2", "contradiction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := Portfolio{}.Propose(context.Background(), search.State{Goals: []string{tt.goal}}, 8)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) == 0 || cs[0].Tactic != tt.first {
				t.Errorf("first candidate = %+v, want %q", cs, tt.first)
			}
			for i := 1; i < len(cs); i++ {
				if cs[i].Prior > cs[i-1].Prior {
					t.Errorf("candidates not sorted by prior: %+v", cs)
				}
			}
		})
	}
}

func TestPortfolioRespectsK(t *testing.T) {
	cs, err := Portfolio{}.Propose(context.Background(), search.State{Goals: []string{"⊢ True"}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 {
		t.Errorf("got %d candidates, want 3", len(cs))
	}
	if cs, _ := (Portfolio{}).Propose(context.Background(), search.State{}, 3); len(cs) != 0 {
		t.Errorf("no goals gave %v", cs)
	}
}

// TestMathlibPortfolioOffersFinishers: with Mathlib the portfolio ranks
// the finisher a goal's shape calls for among its first three, and the
// core portfolio never proposes them (they do not exist without Mathlib).
func TestMathlibPortfolioOffersFinishers(t *testing.T) {
	tests := []struct {
		name, goal, want string
	}{
		{"a positive expression", "x : ℝ\n⊢ 0 < x ^ 2 + 1", "positivity"},
		{"a nonzero expression", "x : ℝ\n⊢ x ^ 2 + 1 ≠ 0", "positivity"},
		{"a closed numeric fact", "⊢ (7 : ℝ) / 2 < 4", "norm_num"},
		{"a ring identity", "a b : ℝ\n⊢ (a + b) ^ 2 = a ^ 2 + 2 * a * b + b ^ 2", "ring"},
		{"linear inequalities", "x y : ℝ\nh₁ : x ≤ 2\nh₂ : y ≤ 3\n⊢ x + y ≤ 5", "linarith"},
		{"contradictory bounds", "x : ℝ\nh₁ : x < 0\nh₂ : 0 < x\n⊢ False", "linarith"},
		{"casts", "m n : ℕ\nh : m = n\n⊢ (↑m : ℤ) = ↑n", "norm_cast"},
		{"equal functions", "f g : ℕ → ℕ\n⊢ (fun x => f x + 0) = f", "ext"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := search.State{Goals: []string{tt.goal}}
			cs, err := NewMathlibPortfolio().Propose(context.Background(), st, 3)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, c := range cs {
				found = found || c.Tactic == tt.want
			}
			if !found {
				t.Errorf("first three = %+v, want %q among them", cs, tt.want)
			}
			core, _ := NewPortfolio().Propose(context.Background(), st, 100)
			for _, c := range core {
				if _, mathlib := mathlibBase[c.Tactic]; mathlib || slices.Contains(mathlibTail, c.Tactic) {
					t.Errorf("core portfolio proposes Mathlib's %q", c.Tactic)
				}
			}
		})
	}
}

// TestIsZeroBound: the goals positivity proves are read at the outer
// relation, not at the first occurrence of its symbol, which may sit
// inside a lambda or an if.
func TestIsZeroBound(t *testing.T) {
	tests := []struct {
		target string
		want   bool
	}{
		{"0 < x ^ 2 + 1", true},
		{"0 ≤ (Finset.filter (fun x => 0 < x) s).card", true},
		{"x ^ 2 + 1 > 0", true},
		{"x ^ 2 + 1 > 0 ", true},
		{"(Finset.filter (fun x => x > 0) s).card > 0", true},
		{"(if a ≠ b then 1 else 2) ≠ 0", true},
		{"‖x‖ ≥ 0", true},
		{"x - 1 < 0", false},
		{"0 ≠ x", false}, // positivity proves e ≠ 0, not 0 ≠ e
		{"(fun x => 0 < x) y < 3", false},
		{"x > 10", false},
		{"a < b", false},
	}
	for _, tt := range tests {
		rel := outerRelation(tt.target)
		if got := isZeroBound(tt.target, rel); got != tt.want {
			t.Errorf("isZeroBound(%q, %q) = %v, want %v", tt.target, rel, got, tt.want)
		}
	}
}

// TestMathlibPortfolioOrderIsStable: the tail finishers share one weight
// and come out of a map; a seed must reproduce a search, so ties are
// broken by name, the same on every call.
func TestMathlibPortfolioOrderIsStable(t *testing.T) {
	st := search.State{Goals: []string{"x : ℝ\n⊢ x ≤ x ^ 2 + 1"}}
	first, err := NewMathlibPortfolio().Propose(context.Background(), st, 100)
	if err != nil {
		t.Fatal(err)
	}
	ties := 0
	for i := 1; i < len(first); i++ {
		if first[i].Prior == first[i-1].Prior {
			ties++
		}
	}
	if ties == 0 {
		t.Fatalf("no tied priors in %+v: the test needs some", first)
	}
	for range 20 {
		again, _ := NewMathlibPortfolio().Propose(context.Background(), st, 100)
		if !slices.Equal(again, first) {
			t.Fatalf("order changed between calls:\n%+v\n%+v", first, again)
		}
	}
}
