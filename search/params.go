package search

import (
	"fmt"
	"math/bits"
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

// Selection picks the MCTS selection rule.
type Selection uint8

const (
	// SelectPUCT scores an edge Q' + c(N)·P·√(N+0.01)/(1+N'), AlphaZero's rule.
	SelectPUCT Selection = iota
	// SelectUCB1 scores an edge Q' + C·√(ln(N+1)/N'), ignoring priors except
	// to break ties.
	SelectUCB1
)

func (s Selection) String() string {
	switch s {
	case SelectPUCT:
		return "puct"
	case SelectUCB1:
		return "ucb1"
	}
	return fmt.Sprintf("Selection(%d)", uint8(s))
}

// ParseSelection turns "puct" or "ucb1" into a Selection.
func ParseSelection(s string) (Selection, error) {
	switch s {
	case "puct":
		return SelectPUCT, nil
	case "ucb1":
		return SelectUCB1, nil
	}
	return 0, fmt.Errorf("unknown selection rule %q (want puct or ucb1)", s)
}

// DefaultClosingTactics is the finishing portfolio of the closing rollout,
// cheapest first. All are core Lean 4; a Mathlib project may add linarith,
// positivity or norm_num through Params.ClosingTactics.
var DefaultClosingTactics = []string{"rfl", "assumption", "trivial", "omega", "decide", "simp"}

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
	// Widenings is how many times a node whose every candidate failed asks
	// the policy again, each time for twice as many candidates as the last
	// (16, 32, 64, 128 with the defaults), before it is given up as dead:
	// the recorded or right tactic is often just past the first k, and a
	// search that gives up its root with budget left wastes it. A
	// re-expansion costs one expansion, and only the candidates it adds
	// cost prover calls. A policy that returned fewer candidates than asked
	// has no more and is not asked again. Default 3; negative: never.
	Widenings int

	Seed int64

	// MaxInFlight bounds the playouts (MCTS) or frontier items (best-first)
	// in flight at once; default Workers. With MaxInFlight 1 every job runs
	// on the goroutine that owns the tree, which is both the fastest and
	// the simplest deterministic setting.
	MaxInFlight int
	// InOrder backs results up in the order their jobs were started rather
	// than the order they finish. The search is then deterministic for a
	// fixed seed and a deterministic prover and policy whatever the number of
	// workers and their timing (a wall-time budget aside), at the cost of
	// head-of-line waiting when one job is much slower than the others.
	InOrder bool

	// MCTS selection. See select.go for the formulas.
	Selection Selection
	// CPuct is c_init in c(N) = CPuct + CLog·ln((N+CBase+1)/CBase); default 1.25.
	CPuct float64
	// CLog is the growth of c with visits; 0 (the default) keeps c constant.
	CLog float64
	// CBase is the visit scale of that growth; default 19652 (AlphaZero).
	CBase float64
	// UCBC is the UCB1 exploration constant; default √2.
	UCBC float64
	// FPUReduction sets the first-play value of an unvisited edge: the
	// parent's Q minus FPUReduction·√(prior mass of visited edges) (KataGo).
	// 0 means the default 0.2; a negative value means no reduction.
	FPUReduction float64
	// VirtualLoss is the weight of one playout in flight through an edge:
	// it counts as that many visits of value 0 until it is backed up.
	// 0 means the default 1; a negative value disables virtual loss.
	VirtualLoss float64
	// CollisionLimit bounds the playouts per fill that reach only work
	// already in flight; they hold virtual loss until the next result. 0
	// means the default MaxInFlight.
	CollisionLimit int

	// LengthNormalize divides best-first priorities by the depth, so deep
	// nodes are not starved by their long products of priors.
	LengthNormalize bool

	// ClosingRollout tries ClosingTactics on every new node before it is
	// expanded, stopping at the first that proves it. Each try is a prover
	// call; outcomes are remembered, so a candidate the policy proposes
	// later is not applied twice.
	ClosingRollout bool
	// ClosingTactics is the rollout portfolio; default DefaultClosingTactics.
	ClosingTactics []string
}

// EnsureDefaults fills the zero fields with their defaults and returns p.
// A nil p gets a fresh Params.
func (p *Params) EnsureDefaults() *Params {
	if p == nil {
		p = &Params{}
	}
	if p.MaxExpansions == 0 {
		p.MaxExpansions = 400
	}
	if p.MaxProverCalls == 0 {
		p.MaxProverCalls = 2000
	}
	if p.Workers == 0 {
		p.Workers = 1
	}
	if p.PolicyWorkers == 0 {
		p.PolicyWorkers = p.Workers
	}
	if p.CandidatesPerNode == 0 {
		p.CandidatesPerNode = 16
	}
	if p.Widenings == 0 {
		p.Widenings = 3
	}
	if p.MaxInFlight == 0 {
		p.MaxInFlight = p.Workers
	}
	if p.CPuct == 0 {
		p.CPuct = 1.25
	}
	if p.CBase == 0 {
		p.CBase = 19652
	}
	if p.UCBC == 0 {
		p.UCBC = 1.4142135623730951
	}
	if p.FPUReduction == 0 {
		p.FPUReduction = 0.2
	}
	if p.VirtualLoss == 0 {
		p.VirtualLoss = 1
	}
	if p.CollisionLimit == 0 {
		p.CollisionLimit = p.MaxInFlight
	}
	if p.ClosingRollout && len(p.ClosingTactics) == 0 {
		p.ClosingTactics = DefaultClosingTactics
	}
	return p
}

// Validate reports the first unusable field, naming it. Call it after
// EnsureDefaults (Run does both).
func (p *Params) Validate() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("%w: %s = %v, want %s", ErrBadParams, field, v, want)
	}
	switch {
	case p.Mode != ModeMCTS && p.Mode != ModeBestFirst:
		return bad("Mode", p.Mode, "mcts or bestfirst")
	case p.MaxExpansions < 0:
		return bad("MaxExpansions", p.MaxExpansions, "a positive budget")
	case p.MaxProverCalls < 0:
		return bad("MaxProverCalls", p.MaxProverCalls, "a positive budget")
	case p.WallTime < 0:
		return bad("WallTime", p.WallTime, "a positive duration or 0 for none")
	case p.TacticTimeout < 0:
		return bad("TacticTimeout", p.TacticTimeout, "a positive duration or 0 for none")
	case p.Workers < 0:
		return bad("Workers", p.Workers, "at least 1")
	case p.PolicyWorkers < 0:
		return bad("PolicyWorkers", p.PolicyWorkers, "at least 1")
	case p.CandidatesPerNode < 0:
		return bad("CandidatesPerNode", p.CandidatesPerNode, "at least 1")
	case p.Widenings > 0 && bits.Len(uint(p.CandidatesPerNode))+p.Widenings > 31:
		// Each widening doubles k: past 2^31 no policy can fill it, and
		// past 63 doublings the shift gives 0 or a negative k.
		return bad("Widenings", p.Widenings, fmt.Sprintf("at most %d with CandidatesPerNode %d (each doubles the candidates asked for)",
			max(31-bits.Len(uint(p.CandidatesPerNode)), 0), p.CandidatesPerNode))
	case p.MaxInFlight < 0:
		return bad("MaxInFlight", p.MaxInFlight, "at least 1")
	case p.CollisionLimit < 0:
		return bad("CollisionLimit", p.CollisionLimit, "at least 0")
	case p.Selection != SelectPUCT && p.Selection != SelectUCB1:
		return bad("Selection", p.Selection, "puct or ucb1")
	case p.CPuct < 0:
		return bad("CPuct", p.CPuct, "at least 0")
	case p.CLog < 0:
		return bad("CLog", p.CLog, "at least 0")
	case p.CBase <= 0:
		return bad("CBase", p.CBase, "a positive visit scale")
	case p.UCBC < 0:
		return bad("UCBC", p.UCBC, "at least 0")
	}
	return nil
}

// fpuReduction and virtualLoss turn the "negative means off" convention into
// the value the arithmetic uses.
func (p *Params) fpuReduction() float64 { return max(p.FPUReduction, 0) }
func (p *Params) virtualLoss() float64  { return max(p.VirtualLoss, 0) }
