package policy

import (
	"testing"

	"github.com/leanprove/leanprove/search"
)

// TestPromptMatchesItsDocumentation: the user message is exactly what
// buildPrompt's comment shows, and the root has no "Tactics so far".
func TestPromptMatchesItsDocumentation(t *testing.T) {
	tests := []struct {
		state search.State
		want  string
	}{
		{search.State{Goals: []string{"n : ℕ\n⊢ n + 0 = n"}, Trace: []string{"intro n"}},
			"Tactics so far:\nintro n\nTactic state:\nn : ℕ\n⊢ n + 0 = n\nNext tactic:"},
		{search.State{Goals: []string{"⊢ ∀ (n : ℕ), n + 0 = n"}},
			"Tactic state:\n⊢ ∀ (n : ℕ), n + 0 = n\nNext tactic:"},
		{search.State{Goals: []string{"case left\np q : Prop\n⊢ p", "case right\np q : Prop\n⊢ q"}, Trace: []string{"intro p q", "constructor"}},
			"Tactics so far:\nintro p q\nconstructor\nTactic state:\ncase left\np q : Prop\n⊢ p\n\ncase right\np q : Prop\n⊢ q\nNext tactic:"},
	}
	for _, tt := range tests {
		if got := buildPrompt(tt.state); got != tt.want {
			t.Errorf("buildPrompt(%v) =\n%s\nwant\n%s", tt.state, got, tt.want)
		}
	}
}
