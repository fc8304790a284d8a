package searchtest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/leanprove/leanprove/search"
)

// A Graph is a hand-written proof graph for tests: for each state, the
// tactics the policy proposes (in order, with falling priors) and what each
// does. States are single goals, keyed by their text as written.
//
// An Arc's To says what the tactic does:
//
//	""          closes the goal (proved)
//	"!error"    Lean rejects it
//	"!timeout"  it times out
//	"!hang"     Apply blocks until its context ends
//	"!crash"    Apply returns an error (the prover failed)
//	anything else: the goal text it leads to; "A | B" means two goals
//
// A state missing from Arcs gets no candidates. Tactics not listed fail
// with an error. Graph checks that every State it is given carries a Trace
// that leads from Root to its goals, and counts the applications of each
// (state, tactic) pair.
type Graph struct {
	Root string
	Arcs map[string][]Arc
	// Extra tactics that work without the policy proposing them (for the
	// closing rollout), keyed by state.
	Hidden map[string][]Arc

	mu        sync.Mutex
	calls     map[string]int
	badTraces []string
}

// An Arc is one tactic from a state.
type Arc struct {
	Tactic string
	To     string
}

// RootState returns the state to search from.
func (g *Graph) RootState() search.State { return search.State{Goals: []string{g.Root}} }

func (g *Graph) arc(from, tactic string) (Arc, bool) {
	for _, a := range g.Arcs[from] {
		if a.Tactic == tactic {
			return a, true
		}
	}
	for _, a := range g.Hidden[from] {
		if a.Tactic == tactic {
			return a, true
		}
	}
	return Arc{}, false
}

func goalsOf(to string) []string {
	parts := strings.Split(to, " | ")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// checkTrace replays s.Trace from the root and records a mismatch.
func (g *Graph) checkTrace(s search.State, who string) {
	cur := []string{g.Root}
	for _, t := range s.Trace {
		if len(cur) == 0 {
			g.badTrace(fmt.Sprintf("%s: trace %q goes on after the proof", who, s.Trace))
			return
		}
		a, ok := g.arc(cur[0], t)
		if !ok || strings.HasPrefix(a.To, "!") {
			g.badTrace(fmt.Sprintf("%s: trace %q: %q does not apply to %q", who, s.Trace, t, cur[0]))
			return
		}
		if a.To == "" {
			cur = cur[1:]
			continue
		}
		cur = append(goalsOf(a.To), cur[1:]...)
	}
	if strings.Join(cur, "\n\n") != strings.Join(s.Goals, "\n\n") {
		g.badTrace(fmt.Sprintf("%s: trace %q reaches %q, state says %q", who, s.Trace, cur, s.Goals))
	}
}

func (g *Graph) badTrace(msg string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.badTraces = append(g.badTraces, msg)
}

// BadTraces returns the trace mismatches seen so far.
func (g *Graph) BadTraces() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.badTraces...)
}

// Calls returns how often tactic was applied to the state whose first goal
// is from.
func (g *Graph) Calls(from, tactic string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls[from+"\x00"+tactic]
}

// Apply applies tactic to the first goal of s.
func (g *Graph) Apply(ctx context.Context, s search.State, tactic string) (search.Step, error) {
	g.checkTrace(s, "apply "+tactic)
	if len(s.Goals) == 0 {
		return search.Step{}, fmt.Errorf("searchtest: apply %q to a state with no goals", tactic)
	}
	from := s.Goals[0]
	g.mu.Lock()
	if g.calls == nil {
		g.calls = map[string]int{}
	}
	g.calls[from+"\x00"+tactic]++
	g.mu.Unlock()
	a, ok := g.arc(from, tactic)
	if !ok {
		return search.Step{Outcome: search.OutcomeError, Message: "unknown tactic " + tactic}, nil
	}
	switch a.To {
	case "":
		if len(s.Goals) > 1 {
			return search.Step{Outcome: search.OutcomeGoals, State: search.State{Goals: s.Goals[1:]}}, nil
		}
		return search.Step{Outcome: search.OutcomeProved}, nil
	case "!error":
		return search.Step{Outcome: search.OutcomeError, Message: "rejected"}, nil
	case "!timeout":
		return search.Step{Outcome: search.OutcomeTimeout, Message: "timed out"}, nil
	case "!hang":
		<-ctx.Done()
		return search.Step{}, ctx.Err()
	case "!crash":
		return search.Step{}, ErrProverCrashed
	}
	goals := append(goalsOf(a.To), s.Goals[1:]...)
	return search.Step{Outcome: search.OutcomeGoals, State: search.State{Goals: goals}}, nil
}

// Propose lists the first goal's arcs with priors 1/2, 1/4, …
func (g *Graph) Propose(_ context.Context, s search.State, k int) ([]search.Candidate, error) {
	g.checkTrace(s, "propose")
	if len(s.Goals) == 0 {
		return nil, nil
	}
	var out []search.Candidate
	prior := 0.5
	for _, a := range g.Arcs[s.Goals[0]] {
		if len(out) == k {
			break
		}
		out = append(out, search.Candidate{Tactic: a.Tactic, Prior: prior})
		prior /= 2
	}
	return out, nil
}

var (
	_ search.Prover = (*Graph)(nil)
	_ search.Policy = (*Graph)(nil)
)
