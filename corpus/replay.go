package corpus

import (
	"context"
	"fmt"

	"github.com/leanprove/leanprove/search"
)

// Replay is a search.Prover built from recorded proofs, for offline
// evaluation without Lean. From a recorded state (matched by StateKey), a
// tactic succeeds exactly when a recorded proof applied it there (compared
// after NormalizeTactic) and yields the recorded next state; "no goals"
// yields search.OutcomeProved. Anything else is search.OutcomeError.
//
// A state of several goals also takes a tactic recorded on its first goal
// alone, as Lean does: the tactic runs on the main goal and the other goals
// follow its result. The traces record the steps under a focusing dot,
// case or next with the focused goal as the whole state, so without this
// no proof that splits into goals would replay.
//
// When two recordings disagree on the result of the same tactic in the same
// state (the goal text hides some context), the first one loaded wins.
// Replay is read-only after NewReplay and safe for concurrent use.
type Replay struct {
	next  map[string]map[string]search.Step // state key → normalized tactic → step
	steps int
}

// NewReplay indexes the steps of ths.
func NewReplay(ths []Theorem) *Replay {
	r := &Replay{next: make(map[string]map[string]search.Step)}
	for _, th := range ths {
		for _, s := range th.Steps {
			key := TextKey(s.StateBefore)
			tac := NormalizeTactic(s.Tactic)
			m := r.next[key]
			if m == nil {
				m = make(map[string]search.Step)
				r.next[key] = m
			}
			if _, dup := m[tac]; dup {
				continue
			}
			r.steps++
			after := ParseState(s.StateAfter)
			if len(after.Goals) == 0 {
				m[tac] = search.Step{Outcome: search.OutcomeProved}
			} else {
				m[tac] = search.Step{Outcome: search.OutcomeGoals, State: after}
			}
		}
	}
	return r
}

// States is the number of distinct recorded states; Steps the number of
// distinct (state, tactic) transitions.
func (r *Replay) States() int { return len(r.next) }

// Steps is the number of distinct (state, tactic) transitions.
func (r *Replay) Steps() int { return r.steps }

// Apply implements search.Prover.
func (r *Replay) Apply(ctx context.Context, s search.State, tactic string) (search.Step, error) {
	if err := ctx.Err(); err != nil {
		return search.Step{}, err
	}
	tac := NormalizeTactic(tactic)
	m, whole := r.next[StateKey(s)]
	if st, ok := m[tac]; ok {
		// Hand out a copy so callers may not alias the recorded goals.
		st.State.Goals = append([]string(nil), st.State.Goals...)
		return st, nil
	}
	var main map[string]search.Step
	if len(s.Goals) > 1 {
		main = r.next[normalizeGoal(s.Goals[0])]
		if st, ok := main[tac]; ok {
			// On the main goal; the others stay, after its result.
			goals := append(append([]string(nil), st.State.Goals...), s.Goals[1:]...)
			return search.Step{Outcome: search.OutcomeGoals, State: search.State{Goals: goals}}, nil
		}
	}
	if !whole && main == nil {
		return search.Step{Outcome: search.OutcomeError, Message: "replay: state not in any recorded proof"}, nil
	}
	return search.Step{Outcome: search.OutcomeError, Message: fmt.Sprintf("replay: tactic %q was not recorded in this state", tactic)}, nil
}

// Root is the state a theorem's proof starts from: the state before its first
// recorded step. ok is false for a theorem with no steps.
func Root(th Theorem) (root search.State, ok bool) {
	if len(th.Steps) == 0 {
		return search.State{}, false
	}
	return ParseState(th.Steps[0].StateBefore), true
}

// Replayable reports whether the recorded proof of th, replayed step by step
// through r from Root, reaches "no goals": the upper bound of what a search
// over r can rediscover (a step recorded inside a nested by-block, whose
// goal never is the main goal of the proof's own states, leaves some
// recorded proofs without a linear path).
func (r *Replay) Replayable(ctx context.Context, th Theorem) bool {
	root, ok := Root(th)
	if !ok {
		return false
	}
	return r.reachable(ctx, root, th, map[string]bool{})
}

// reachable does a depth-first search restricted to th's own tactics.
func (r *Replay) reachable(ctx context.Context, s search.State, th Theorem, seen map[string]bool) bool {
	key := StateKey(s)
	if seen[key] {
		return false
	}
	seen[key] = true
	for _, step := range th.Steps {
		out, err := r.Apply(ctx, s, step.Tactic)
		if err != nil {
			return false
		}
		switch out.Outcome {
		case search.OutcomeProved:
			return true
		case search.OutcomeGoals:
			if r.reachable(ctx, out.State, th, seen) {
				return true
			}
		}
	}
	return false
}

var _ search.Prover = (*Replay)(nil)
