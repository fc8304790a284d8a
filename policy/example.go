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
}

// ExamplesFrom turns every step of ths into an Example.
func ExamplesFrom(ths []corpus.Theorem) []Example {
	var out []Example
	for _, th := range ths {
		for _, s := range th.Steps {
			ex := Example{State: s.StateBefore, Tactic: s.Tactic}
			for _, p := range s.Premises {
				ex.Premises = append(ex.Premises, p.FullName)
			}
			out = append(out, ex)
		}
	}
	return out
}
