package search

import (
	"context"
	"errors"
	"time"
)

// StopReason says why a search ended.
type StopReason uint8

const (
	StopProved      StopReason = iota // the root was proved
	StopExhausted                     // every line of search failed: no tactic left to try
	StopExpansions                    // MaxExpansions reached
	StopProverCalls                   // MaxProverCalls reached
	StopWallTime                      // WallTime reached
	StopCancelled                     // the caller's context ended
)

// Stats describe the work a search did.
type Stats struct {
	Expansions        int // nodes expanded (one policy call each)
	ProverCalls       int // tactic applications
	Nodes             int // distinct proof states in the graph
	TranspositionHits int // applications that reached an existing node
	MaxDepth          int
	Elapsed           time.Duration
}

// Result is what a search found.
type Result struct {
	Proved bool
	Proof  []string // the tactics from the root, in order, when Proved
	Stop   StopReason
	Stats  Stats
}

// Run searches for a proof of root. It returns an error only for unusable
// Params or a failing policy at the root; running out of budget is a Result
// with Proved false and the StopReason set.
func Run(ctx context.Context, root State, prover Prover, policy Policy, p Params) (*Result, error) {
	return nil, errors.New("search: not implemented yet")
}
