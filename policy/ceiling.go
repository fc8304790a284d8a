package policy

import (
	"strings"

	"github.com/leanprove/leanprove/corpus"
)

// Ceiling says how much of an evaluation set any policy that builds its
// tactics from what it was shown could match exactly: a tactic that cites a
// name found neither in the training tactics nor in its own state (a
// Mathlib lemma the training data never used) can only come from a policy
// that knows more lemmas (a premise index, an LLM). It separates the limits
// of the data from those of the model: compare a policy's top-k accuracy
// with Reachable, and its coverage (top-k for a very large k) with both.
type Ceiling struct {
	N int `json:"n"`
	// NamesKnown is the share of examples whose tactic's every identifier
	// (after the tactic's own name) occurs in some training tactic or in
	// the example's state, or is "h" followed by an identifier of the
	// state (the conventional name of a new proof about it).
	NamesKnown float64 `json:"names_known"`
	// ShapeKnown is the share whose tactic, with every identifier replaced
	// by one placeholder, is the shape of some training tactic.
	ShapeKnown float64 `json:"shape_known"`
	// Reachable is the share with both.
	Reachable float64 `json:"reachable"`
}

// MeasureCeiling measures the ceiling of eval for policies trained on train.
func MeasureCeiling(train, eval []Example) Ceiling {
	names := map[string]bool{}
	shapes := map[string]bool{}
	for _, ex := range train {
		t := corpus.NormalizeTactic(ex.Tactic)
		for i, tok := range tokenize(t) {
			if i > 0 && tok.Ident {
				names[tok.Text] = true
			}
		}
		shapes[skeleton(t)] = true
	}
	c := Ceiling{N: len(eval)}
	var known, shaped, both int
	for _, ex := range eval {
		t := corpus.NormalizeTactic(ex.Tactic)
		local := map[string]bool{}
		for _, tok := range tokenize(ex.State) {
			if tok.Ident {
				local[tok.Text] = true
				local["h"+tok.Text] = true
			}
		}
		ok := true
		for i, tok := range tokenize(t) {
			if i > 0 && tok.Ident && !names[tok.Text] && !local[tok.Text] && !tacticKeywords[tok.Text] {
				ok = false
				break
			}
		}
		s := shapes[skeleton(t)]
		if ok {
			known++
		}
		if s {
			shaped++
		}
		if ok && s {
			both++
		}
	}
	if c.N > 0 {
		n := float64(c.N)
		c.NamesKnown, c.ShapeKnown, c.Reachable = float64(known)/n, float64(shaped)/n, float64(both)/n
	}
	return c
}

// skeleton writes a tactic with every identifier but keywords (at, with,
// using…) replaced by ◆: "rw [mul_comm] at h" and "rw [add_zero] at hx"
// share the skeleton "rw [ ◆ ] at ◆".
func skeleton(tactic string) string {
	var b strings.Builder
	for _, tok := range tokenize(tactic) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if tok.Ident && !tacticKeywords[tok.Text] && b.Len() > 0 {
			b.WriteString("◆")
		} else {
			b.WriteString(tok.Text)
		}
	}
	return b.String()
}
