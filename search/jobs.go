package search

// Jobs: the slow work (policy and prover calls) the owner goroutine hands
// to the pools, and the plumbing that starts them, collects their results
// and, at the end, undoes what unhandled ones left behind.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
)

type jobKind uint8

const (
	jobExpand  jobKind = iota // Policy.Propose (and Valuer.Value)
	jobApply                  // Prover.Apply of one edge
	jobRollout                // the closing portfolio on a new node
)

// A job is one unit of slow work. The executing goroutine reads only state,
// tactic, k and tactics, and writes only the result fields; node, edge and
// play belong to the owner.
type job struct {
	kind    jobKind
	seq     uint64
	node    *node
	edge    int
	play    *playout
	state   State
	tactic  string
	k       int
	widens  bool // an expansion of a node reopened by widen
	tactics []string

	cands    []Candidate
	value    float64
	hasValue bool
	step     Step
	tries    []rolloutTry
	err      error
	panicked string // the panic value and stack, when the call panicked
}

type rolloutTry struct {
	tactic string
	step   Step
	err    error
}

// abandonUnhandled hands every job that was started but not handled to
// the strategy, so the final graph holds no virtual loss, no running edge
// and no node marked as expanding. Every pool goroutine has returned, so
// the results channel holds all that will ever arrive.
func (s *searcher) abandonUnhandled() {
	var left []*job
	left = append(left, s.ready...)
	left = append(left, s.policyQueue...)
	left = append(left, s.proverQueue...)
	for _, j := range s.held {
		left = append(left, j)
	}
	for done := false; !done && s.results != nil; {
		select {
		case j := <-s.results:
			left = append(left, j)
		default:
			done = true
		}
	}
	for _, j := range left {
		s.abandon(j)
	}
}

// abandon undoes the marks a job left on the graph (a running edge, a node
// being expanded) and lets the strategy release what it holds for it.
func (s *searcher) abandon(j *job) {
	switch j.kind {
	case jobApply:
		if e := &j.node.edges[j.edge]; e.status == running {
			e.status = untried
		}
	default:
		if j.node.expand == expanding {
			j.node.expand = unexpanded
		}
	}
	s.mode.abandon(j)
}

// canApply reports whether k more prover calls fit the budget.
func (s *searcher) canApply(k int) bool {
	return !s.stopping && s.stats.ProverCalls+k <= s.p.MaxProverCalls
}

func (s *searcher) canExpand() bool {
	return !s.stopping && s.stats.Expansions < s.p.MaxExpansions
}

// newJob returns a cleared job, reusing a handled one when it can.
func (s *searcher) newJob(kind jobKind, n *node, edge int) *job {
	var j *job
	if k := len(s.freeJobs); k > 0 {
		j = s.freeJobs[k-1]
		s.freeJobs = s.freeJobs[:k-1]
	} else {
		j = &job{}
	}
	j.kind, j.node, j.edge, j.state = kind, n, edge, n.state
	return j
}

// start counts a job against its budget and runs it: inline, on its pool,
// or in the owner's queue until its pool has a free slot.
func (s *searcher) start(j *job) {
	j.seq = s.seq
	s.seq++
	s.jobs++
	switch j.kind {
	case jobExpand:
		s.stats.Expansions++
		if j.widens {
			// Counted here, as the expansion is, not when widen reopened
			// the node: a proof or a spent budget may come first.
			j.node.widened++
			s.stats.Widenings++
		}
	case jobApply:
		s.stats.ProverCalls++
	case jobRollout:
		s.stats.ProverCalls += len(j.tactics)
	}
	if s.inline {
		s.exec(s.ctx, j)
		s.ready = append(s.ready, j)
		return
	}
	if j.kind == jobExpand {
		s.policyQueue = append(s.policyQueue, j)
	} else {
		s.proverQueue = append(s.proverQueue, j)
	}
	s.launch()
}

// launch moves queued jobs onto their pools while they have free slots, so
// pool.Go never waits for long on the owner goroutine.
func (s *searcher) launch() {
	for len(s.policyQueue) > 0 && s.policyBusy < s.p.PolicyWorkers {
		j := s.policyQueue[0]
		s.policyQueue = s.policyQueue[1:]
		s.policyBusy++
		s.policyPool.Go(func() { s.run(j) })
	}
	for len(s.proverQueue) > 0 && s.proverBusy < s.p.Workers {
		j := s.proverQueue[0]
		s.proverQueue = s.proverQueue[1:]
		s.proverBusy++
		s.proverPool.Go(func() { s.run(j) })
	}
}

// run executes a job on a pool goroutine and always sends it back. A panic
// in the prover or the policy is caught and carried to the owner, which
// ends the search and panics again from Run: without this the owner would
// wait forever for a result that never comes.
func (s *searcher) run(j *job) {
	defer func() {
		if r := recover(); r != nil {
			j.panicked = fmt.Sprintf("%v\n%s", r, debug.Stack())
		}
		s.results <- j
	}()
	s.exec(s.ctx, j)
}

// next returns the next finished job to handle, or nil when the search's
// context ended first.
func (s *searcher) next() *job {
	if s.inline {
		j := s.ready[0]
		s.ready = s.ready[1:]
		return j
	}
	for {
		if s.held != nil {
			if j, ok := s.held[s.nextSeq]; ok {
				delete(s.held, s.nextSeq)
				s.nextSeq++
				return j
			}
		}
		select {
		case j := <-s.results:
			if j.kind == jobExpand {
				s.policyBusy--
			} else {
				s.proverBusy--
			}
			s.launch()
			if s.held == nil {
				return j
			}
			s.held[j.seq] = j
		case <-s.ctx.Done():
			return nil
		}
	}
}

// exec does a job's slow work. It runs on a pool goroutine (or inline) and
// touches nothing but the job.
func (s *searcher) exec(ctx context.Context, j *job) {
	switch j.kind {
	case jobExpand:
		j.cands, j.err = s.policy.Propose(ctx, j.state, j.k)
		if j.err == nil && s.valuer != nil {
			v, err := s.valuer.Value(ctx, j.state)
			if err == nil && !math.IsNaN(v) {
				j.value, j.hasValue = min(max(v, 0), 1), true
			}
		}
	case jobApply:
		j.step, j.err = s.applyOne(ctx, j.state, j.tactic)
	case jobRollout:
		for _, t := range j.tactics {
			step, err := s.applyOne(ctx, j.state, t)
			j.tries = append(j.tries, rolloutTry{tactic: t, step: step, err: err})
			if (err == nil && step.Outcome == OutcomeProved) || ctx.Err() != nil {
				break
			}
		}
	}
}

// applyOne applies one tactic under the per-tactic timeout. A prover that
// returns an error because that timeout fired has timed the tactic out.
func (s *searcher) applyOne(ctx context.Context, st State, tactic string) (Step, error) {
	if s.p.TacticTimeout <= 0 {
		return s.prover.Apply(ctx, st, tactic)
	}
	tctx, cancel := context.WithTimeout(ctx, s.p.TacticTimeout)
	defer cancel()
	step, err := s.prover.Apply(tctx, st, tactic)
	if err != nil && ctx.Err() == nil && errors.Is(tctx.Err(), context.DeadlineExceeded) {
		return Step{Outcome: OutcomeTimeout, Message: fmt.Sprintf("no answer within %v", s.p.TacticTimeout), Elapsed: s.p.TacticTimeout}, nil
	}
	return step, err
}
