package policy

import (
	"github.com/leanprove/leanprove/corpus"
)

// Example is one training or evaluation pair: the state text as the traces
// print it, the tactic a proof applied there, and the premises it used.
type Example struct {
	State    string   `json:"state"`
	Tactic   string   `json:"tactic"`
	Premises []string `json:"premises,omitempty"`
	// Theorem names the theorem the step belongs to, when known: held-out
	// parts are split by theorem, so that no theorem's steps are on both
	// sides.
	Theorem string `json:"theorem,omitempty"`
}

// ExamplesFrom turns every step of ths into an Example.
func ExamplesFrom(ths []corpus.Theorem) []Example {
	var out []Example
	for _, th := range ths {
		for _, s := range th.Steps {
			ex := Example{State: s.StateBefore, Tactic: s.Tactic, Theorem: th.FullName}
			for _, p := range s.Premises {
				ex.Premises = append(ex.Premises, p.FullName)
			}
			out = append(out, ex)
		}
	}
	return out
}
