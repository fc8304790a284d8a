package search

import (
	"fmt"
	"time"
)

// Mode selects the search algorithm.
type Mode uint8

const (
	// ModeMCTS is Monte Carlo tree search with PUCT (or UCB1) selection.
	ModeMCTS Mode = iota
	// ModeBestFirst expands the open node with the best cumulative log prior.
	ModeBestFirst
)

func (m Mode) String() string {
	switch m {
	case ModeMCTS:
		return "mcts"
	case ModeBestFirst:
		return "bestfirst"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// ParseMode turns "mcts" or "bestfirst" into a Mode.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "mcts":
		return ModeMCTS, nil
	case "bestfirst", "best-first":
		return ModeBestFirst, nil
	}
	return 0, fmt.Errorf("unknown search mode %q (want mcts or bestfirst)", s)
}

// Params configures one search. The zero value of a field means its
// default; see EnsureDefaults. Budgets end the search: whichever is reached
// first is the Result's StopReason.
type Params struct {
	Mode Mode

	// Budgets.
	MaxExpansions  int           // nodes expanded (policy calls); default 400
	MaxProverCalls int           // tactic applications; default 2000
	WallTime       time.Duration // for the whole search; 0 means no limit
	TacticTimeout  time.Duration // for one Prover.Apply; 0 means no limit

	// Parallelism.
	Workers           int // prover calls in flight; default 1
	PolicyWorkers     int // policy calls in flight; default Workers
	CandidatesPerNode int // k passed to Policy.Propose; default 16

	Seed int64
}
