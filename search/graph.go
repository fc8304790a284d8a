package search

// Graph updates the owner makes when a job finishes: new nodes, edges from
// the policy's candidates, and the outcome of applying a tactic.

import (
	"fmt"
	"math"
	"slices"
)

// newNode adds a state to the graph.
func (s *searcher) newNode(st State, k Key) *node {
	n := &node{id: len(s.nodes), key: k, state: st, proofEdge: -1}
	n.u = heuristicValue(st)
	n.q = n.u
	s.nodes = append(s.nodes, n)
	s.table[k] = n
	s.stats.MaxDepth = max(s.stats.MaxDepth, n.depth())
	return n
}

// heuristicValue is the value of a state without a Valuer: 1 for one short
// goal, less for more goals (each extra one halves the odds) and for long
// goals (2000 bytes of goal text halve them again).
func heuristicValue(st State) float64 {
	size := 0
	for _, g := range st.Goals {
		size += len(g)
	}
	extra := max(len(st.Goals)-1, 0)
	return 1 / ((1 + 0.5*float64(extra)) * (1 + float64(size)/2000))
}

// nodeWork prepares the work for a node reached for the first time: the
// closing rollout first (once per node, when enabled and affordable), then
// the policy's expansion. It returns nil when neither fits the budget.
func (s *searcher) nodeWork(n *node) *job {
	if s.p.ClosingRollout && n.tried == nil {
		remaining := s.p.MaxProverCalls - s.stats.ProverCalls
		if !s.stopping && remaining > 0 {
			tactics := s.p.ClosingTactics
			if len(tactics) > remaining {
				tactics = tactics[:remaining]
			}
			j := s.newJob(jobRollout, n, -1)
			j.tactics = tactics
			return j
		}
	}
	if !s.canExpand() {
		return nil
	}
	j := s.newJob(jobExpand, n, -1)
	// A node with edges that is not expanded was reopened by widen: it
	// asks for twice as many candidates as its last expansion did.
	j.widens = len(n.edges) > 0
	j.k = s.p.CandidatesPerNode << n.widened
	if j.widens {
		j.k <<= 1
	}
	return j
}

// finishRollout records a rollout's outcomes on its node. It returns true
// when a tactic proved the node.
func (s *searcher) finishRollout(j *job) bool {
	n := j.node
	s.stats.ProverCalls -= len(j.tactics) - len(j.tries) // tactics it never had to try
	n.tried = make(map[string]Step, len(j.tries))
	for _, t := range j.tries {
		if t.err != nil {
			s.stats.ProverErrors++
			continue
		}
		n.tried[t.tactic] = t.step
		if t.step.Outcome == OutcomeProved {
			n.edges = []edge{{tactic: t.tactic, prior: 1, status: closed}}
			n.expand = expanded
			s.markProved(n, 0)
			return true
		}
	}
	return false
}

// finishExpansion turns the policy's answer into the node's edges: valid
// tactics, deduplicated, priors clamped to [0, 1], in the order of
// orderEdges. Edges whose tactic the closing rollout already tried take its
// outcome at once. A policy that fails leaves the node without candidates,
// so it is dead (a policy that can fail transiently should retry inside
// Propose); at the root the failure ends the search with ErrPolicy, unless
// it is a widening, which keeps the edges the node had.
//
// A re-expansion (see widen) keeps the node's edges, whose indices parents
// and queues hold, and appends the tactics it did not have, ordered among
// themselves.
func (s *searcher) finishExpansion(j *job) {
	n := j.node
	n.expand = expanded
	if j.err != nil {
		s.stats.PolicyErrors++
		// Only the root's first expansion: a failed widening comes after a
		// search that ran, whose Result says more than the error.
		if n == s.root && n.widened == 0 {
			s.rootErr = fmt.Errorf("%w: %w", ErrPolicy, j.err)
			return
		}
	}
	if j.hasValue {
		n.u = j.value
	}
	// Copy into edges first: the policy may share its slice.
	first := len(n.edges)
	if first == 0 {
		n.edges = make([]edge, 0, len(j.cands))
	}
	for _, c := range j.cands {
		if c.Tactic == "" || hasTactic(n.edges, c.Tactic) {
			continue
		}
		prior := c.Prior
		if math.IsNaN(prior) {
			prior = 0
		}
		n.edges = append(n.edges, edge{tactic: c.Tactic, prior: min(max(prior, 0), 1)})
	}
	n.mayWiden = j.err == nil && len(j.cands) >= j.k && len(n.edges) > first
	s.orderEdges(n.edges[first:])
	for i := first; i < len(n.edges); i++ {
		if step, ok := n.tried[n.edges[i].tactic]; ok {
			s.applyStep(n, i, step)
			if n.solve == proved {
				return
			}
		}
	}
	n.recomputeQ()
	s.checkDead(n)
}

// orderEdges sorts edges by prior, best first, and shuffles each run of
// equal priors with the search's seeded generator (OpenSpiel shuffles to
// remove the bias of the generation order).
func (s *searcher) orderEdges(edges []edge) {
	byPrior := func(a, b edge) int {
		switch {
		case a.prior > b.prior:
			return -1
		case a.prior < b.prior:
			return 1
		}
		return 0
	}
	if !slices.IsSortedFunc(edges, byPrior) {
		slices.SortStableFunc(edges, byPrior)
	}
	for i := 0; i < len(edges); {
		j := i + 1
		for j < len(edges) && edges[j].prior == edges[i].prior {
			j++
		}
		if run := edges[i:j]; len(run) > 1 {
			s.rng.Shuffle(len(run), func(a, b int) { run[a], run[b] = run[b], run[a] })
		}
		i = j
	}
}

// hasTactic reports whether edges already hold tactic. A linear scan: k is
// small (tens), and a map would cost more than it saves.
func hasTactic(edges []edge, tactic string) bool {
	for i := range edges {
		if edges[i].tactic == tactic {
			return true
		}
	}
	return false
}

// proverFailed records that the prover, not the tactic, failed on edge ei
// of n: the edge goes back to untried for one retry on a later selection,
// and fails for good on the second error. It reports whether the edge may
// be retried.
func (s *searcher) proverFailed(n *node, ei int, err error) (retry bool) {
	e := &n.edges[ei]
	s.stats.ProverErrors++
	e.fails++
	e.status = untried
	if e.fails < 2 {
		return true
	}
	e.status, e.msg = failed, "prover error: "+truncate(err.Error(), 200)
	s.checkDead(n)
	return false
}

// stepResult says what applying a tactic did to the graph.
type stepResult uint8

const (
	stepFailed  stepResult = iota // the edge failed
	stepClosed                    // the edge closed the node: it is proved
	stepNewNode                   // the edge reached a new node
	stepOldNode                   // the edge reached a node already in the graph
)

// applyStep records the outcome of edge ei of n.
func (s *searcher) applyStep(n *node, ei int, step Step) (stepResult, *node) {
	e := &n.edges[ei]
	switch step.Outcome {
	case OutcomeProved:
		e.status = closed
		s.markProved(n, ei)
		return stepClosed, nil
	case OutcomeGoals:
	default:
		e.status = failed
		e.msg = step.Outcome.String()
		if step.Message != "" {
			e.msg += ": " + truncate(step.Message, 200)
		}
		s.checkDead(n)
		return stepFailed, nil
	}
	if len(step.State.Goals) == 0 {
		// Goals with no goals left: the prover said "goals" but meant proved.
		e.status = closed
		s.markProved(n, ei)
		return stepClosed, nil
	}
	k := KeyOf(step.State.Goals)
	e.status = applied
	if child, ok := s.table[k]; ok {
		s.stats.TranspositionHits++
		e.child = child
		child.parents = append(child.parents, parentRef{n, ei})
		switch child.solve {
		case proved:
			s.markProved(n, ei)
		case dead:
			s.checkDead(n)
		}
		return stepOldNode, child
	}
	trace := make([]string, len(n.state.Trace)+1)
	copy(trace, n.state.Trace)
	trace[len(trace)-1] = e.tactic
	// The node keeps the prover's Goals slice; neither side changes it.
	child := s.newNode(State{Goals: step.State.Goals, Trace: trace}, k)
	child.logp = n.logp + logPrior(e.prior)
	e.child = child
	child.parents = append(child.parents, parentRef{n, ei})
	s.mode.nodeCreated(child)
	return stepNewNode, child
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
