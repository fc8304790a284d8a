package search

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// A State is a proof state: the goals that remain open, and one sequence of
// tactics that reaches them from the theorem's statement.
//
// Goals hold each open goal exactly as Lean prints it (hypotheses, then the
// "⊢ target" line, optionally preceded by a "case tag" line). Two states with
// the same normalized goals are the same node of the search graph (see Key).
//
// Trace is the path that first reached the state. Goal text alone does not
// capture Lean's full metavariable context, so a prover that talks to Lean
// replays Trace to reconstruct the state; a replay prover may ignore it.
// Under transpositions only the first path found is kept.
type State struct {
	Goals []string
	Trace []string
}

// String renders the goals the way Lean and the traces do: goals separated by
// a blank line, "no goals" when none remain.
func (s State) String() string {
	if len(s.Goals) == 0 {
		return "no goals"
	}
	return strings.Join(s.Goals, "\n\n")
}

// Outcome classifies what one tactic application did.
type Outcome uint8

const (
	// OutcomeGoals: the tactic succeeded and goals remain (Step.State).
	OutcomeGoals Outcome = iota
	// OutcomeProved: the tactic closed every goal.
	OutcomeProved
	// OutcomeError: Lean rejected the tactic (Step.Message says why).
	OutcomeError
	// OutcomeTimeout: the tactic ran out of time or heartbeats.
	OutcomeTimeout
	// OutcomeInvalid: the tactic was refused before it reached the prover
	// (sanitizer) or did not parse.
	OutcomeInvalid
)

var outcomeNames = [...]string{"goals", "proved", "error", "timeout", "invalid"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// A Step is the result of applying one tactic to a state.
type Step struct {
	Outcome Outcome
	// State holds the goals after the tactic when Outcome is OutcomeGoals.
	// Its Trace is filled in by the search, not by the prover.
	State State
	// Message is the prover's explanation for OutcomeError, OutcomeTimeout
	// and OutcomeInvalid (Lean's error text, say).
	Message string
	// Elapsed is the time the prover spent, when it measures it.
	Elapsed time.Duration
}

// A Prover applies tactics to proof states. Lean behind its language server
// is the real one; replay and synthetic provers stand in for it in tests and
// offline benchmarks.
//
// A tactic failure is a Step with OutcomeError, not an error: Apply returns a
// non-nil error only when the prover itself failed (a crashed server, a
// cancelled context), and the search then treats the edge as not applied.
// Apply is called from several goroutines at once.
type Prover interface {
	Apply(ctx context.Context, s State, tactic string) (Step, error)
}

// ProverFunc adapts a function to the Prover interface.
type ProverFunc func(ctx context.Context, s State, tactic string) (Step, error)

// Apply calls f.
func (f ProverFunc) Apply(ctx context.Context, s State, tactic string) (Step, error) {
	return f(ctx, s, tactic)
}

// A Candidate is one tactic a policy proposes, with its prior probability.
type Candidate struct {
	Tactic string
	Prior  float64
}

// A Policy proposes up to k candidate tactics for a state, best first, with
// priors in [0, 1] that need not sum to one. Propose is called from several
// goroutines at once.
type Policy interface {
	Propose(ctx context.Context, s State, k int) ([]Candidate, error)
}

// A Valuer estimates how close a state is to proved, in [0, 1]. When the
// Policy given to Run also implements Valuer, MCTS uses it for the value of
// each node it expands (called in the same job, after Propose); otherwise
// it uses a heuristic on the goals' count and size.
type Valuer interface {
	Value(ctx context.Context, s State) (float64, error)
}

// PolicyFunc adapts a function to the Policy interface.
type PolicyFunc func(ctx context.Context, s State, k int) ([]Candidate, error)

// Propose calls f.
func (f PolicyFunc) Propose(ctx context.Context, s State, k int) ([]Candidate, error) {
	return f(ctx, s, k)
}

var (
	_ Prover = ProverFunc(nil)
	_ Policy = PolicyFunc(nil)
)
