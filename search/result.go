package search

import "time"

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

var stopNames = [...]string{"proved", "exhausted", "expansions", "prover-calls", "wall-time", "cancelled"}

func (r StopReason) String() string {
	if int(r) < len(stopNames) {
		return stopNames[r]
	}
	return "StopReason(?)"
}

// Stats describe the work a search did.
type Stats struct {
	Expansions        int // nodes expanded (one policy call each)
	Widenings         int // re-expansions of nodes whose candidates all failed (included in Expansions)
	ProverCalls       int // tactic applications
	Nodes             int // distinct proof states in the graph
	TranspositionHits int // applications that reached an existing node
	MaxDepth          int
	Elapsed           time.Duration

	Playouts     int // MCTS: values backed up
	Collisions   int // MCTS: selections that reached only work in flight
	Cycles       int // MCTS: playouts cut because they came back onto their path
	ProverErrors int // Apply calls that failed (not tactic errors)
	PolicyErrors int // Propose calls that failed
}

// Result is what a search found.
type Result struct {
	Proved bool
	Proof  []string // the tactics from the root, in order, when Proved
	Stop   StopReason
	Stats  Stats

	root  *node
	nodes []*node
}
