package main

import (
	"context"
	"time"
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

	Write    bool   `json:"write,omitempty"` // replace the theorem's proof body in its file
	TreeFile string `json:"-"`               // export the search graph (CLI only)
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

	Expansions  int           `json:"expansions"`
	ProverCalls int           `json:"prover_calls"`
	Nodes       int           `json:"nodes"`
	MaxDepth    int           `json:"max_depth"`
	Elapsed     time.Duration `json:"elapsed_ns"`
}

// proveFunc proves one theorem; the service and the batch runner take one so
// that tests can stand in for Lean.
type proveFunc func(ctx context.Context, req proveRequest) (*proveResult, error)
