package policy

import (
	"context"
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
