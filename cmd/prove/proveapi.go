package main

import (
	"context"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

// proveRequest asks for a proof of one theorem. The CLI's default mode, the
// batch runner and the service all describe their work with it.
type proveRequest struct {
	Theorem string `json:"theorem"`
	Project string `json:"project,omitempty"` // Lake project root; default from flags
	File    string `json:"file,omitempty"`    // narrows the search for the declaration
	Policy  string `json:"policy,omitempty"`
	Mode    string `json:"mode,omitempty"` // mcts or bestfirst

	Expansions  int     `json:"expansions,omitempty"`
	Calls       int     `json:"calls,omitempty"`
	WallSeconds float64 `json:"wall_seconds,omitempty"`
	Seed        int64   `json:"seed,omitempty"`
	// Workers is the number of tactics in flight for this search, one Lean
	// document each (0: the --workers flag). A batch gives each theorem one.
	Workers int `json:"workers,omitempty"`

	Write    bool   `json:"write,omitempty"` // replace the theorem's proof body in its file
	TreeFile string `json:"-"`               // export the search graph (CLI only)
	// Cache, when set, is the store whose (state, tactic) cache the search
	// reads and extends, keyed by the theorem's environment. The CLI sets
	// it from --db (batch and single-theorem prove); no service client can
	// name one.
	Cache *corpus.Store `json:"-"`
}

// proveResult is the answer, as printed with --json and sent by the service.
type proveResult struct {
	Theorem  string   `json:"theorem"`
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
	Proved   bool     `json:"proved"`
	Assuming []string `json:"assuming,omitempty"` // unproven theorems the proof relies on
	Proof    []string `json:"proof,omitempty"`
	Stop     string   `json:"stop"`
	Written  bool     `json:"written,omitempty"` // the proof was written into the file
	// Steps are the goals before and after each tactic of the proof, as
	// the search saw them: what the proof does, and training data.
	Steps []proofStep `json:"steps,omitempty"`

	Expansions  int           `json:"expansions"`
	ProverCalls int           `json:"prover_calls"`
	Nodes       int           `json:"nodes"`
	MaxDepth    int           `json:"max_depth"`
	Elapsed     time.Duration `json:"elapsed_ns"`
}

// asTheoremResult is the result as runs store and report it.
func (r *proveResult) asTheoremResult() theoremResult {
	return theoremResult{
		File: r.File, Theorem: r.Theorem, Proved: r.Proved, Assuming: r.Assuming, Proof: r.Proof,
		Stop: r.Stop, Elapsed: r.Elapsed, ProverCalls: r.ProverCalls, Expansions: r.Expansions, Steps: r.Steps,
	}
}

// proofStep is one tactic of a proof with the goals around it.
type proofStep struct {
	Tactic string   `json:"tactic"`
	Before []string `json:"before"`
	After  []string `json:"after"` // empty when the tactic closed the last goal
}

// proofSteps follows the proof through the search graph. It returns nil
// when a step is not in the graph (a proof is always there; nil only
// guards against a graph that does not match).
func proofSteps(t *search.Tree, proof []string) []proofStep {
	if len(t.Nodes) == 0 {
		return nil
	}
	node := &t.Nodes[t.Root]
	var steps []proofStep
	for i, tac := range proof {
		var next *search.TreeNode
		found := false
		for _, e := range node.Edges {
			if e.Tactic != tac {
				continue
			}
			found = true
			if e.Child >= 0 {
				next = &t.Nodes[e.Child]
			}
			break
		}
		if !found || (next == nil && i < len(proof)-1) {
			return nil
		}
		st := proofStep{Tactic: tac, Before: node.Goals, After: []string{}}
		if next != nil {
			st.After = next.Goals
		}
		steps = append(steps, st)
		node = next
	}
	return steps
}

// batchFunc runs a batch, telling progress about each theorem; the service
// takes one so that tests can stand in for Lean.
type batchFunc func(ctx context.Context, job batchJob, progress batchProgress) (*batchOutcome, error)

// proveFunc proves one theorem; the service and the batch runner take one so
// that tests can stand in for Lean.
type proveFunc func(ctx context.Context, req proveRequest) (*proveResult, error)
