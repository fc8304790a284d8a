package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/sourcegraph/conc/pool"
)

// The engine: one goroutine (the caller of Run) owns the graph; prover and
// policy calls run as jobs on two bounded conc pools and report back on one
// channel (go-style.md §3.4, lc0's gather/compute/backup made
// asynchronous). The two strategies, MCTS and best-first, differ only in how
// they choose work (fill) and what they do with a finished job (handle).

// strategy is what a search mode adds to the engine.
type strategy interface {
	// fill starts work until the in-flight limit, a budget or a collision
	// limit stops it.
	fill()
	// handle consumes a finished job.
	handle(j *job)
	// nodeCreated learns of a node reached for the first time.
	nodeCreated(n *node)
	// nodeReopened learns of a node sent back to unexpanded for a wider
	// expansion (solver.go, widen).
	nodeReopened(n *node)
	// stuck is called when nothing is in flight and fill started nothing;
	// it returns false when the search must end as exhausted.
	stuck() bool
	// abandon undoes the bookkeeping of a job whose result will never be
	// handled (the search ended while it was in flight).
	abandon(j *job)
	// finish releases what the strategy holds (virtual loss of collisions).
	finish()
}

type searcher struct {
	p      Params
	prover Prover
	policy Policy
	valuer Valuer
	ctx    context.Context // ends with WallTime, the caller, or the end of the search
	caller context.Context

	root  *node
	table map[Key]*node
	nodes []*node
	stats Stats
	rng   *rand.Rand
	mode  strategy

	inline      bool // MaxInFlight 1: jobs run on the owner goroutine
	ready       []*job
	results     chan *job
	proverPool  *pool.Pool
	policyPool  *pool.Pool
	proverBusy  int
	policyBusy  int
	proverQueue []*job
	policyQueue []*job
	seq         uint64
	nextSeq     uint64
	held        map[uint64]*job
	jobs        int    // started and not yet handled
	freeJobs    []*job // handled jobs, for reuse

	panicked   string // a job's panic, re-raised once every job has returned
	stopping   bool   // a count budget is spent: start nothing new
	stopReason StopReason
	rootErr    error
}

// Run searches for a proof of root. It returns an error only for unusable
// Params, a root without goals, or a policy that fails the root's first
// expansion; running out of budget is a Result with Proved false and the
// StopReason set.
//
// Run returns only after every job it started has returned, so no goroutine
// outlives it (a prover that ignores its context delays that return). With
// MaxInFlight 1 (the default with one worker) or InOrder, the search is
// deterministic for a fixed Seed and a deterministic prover and policy: the
// same Result and the same tree. Otherwise results are backed up as they
// complete, and the tree depends on the timing of the jobs.
func Run(ctx context.Context, root State, prover Prover, policy Policy, p Params) (*Result, error) {
	p.EnsureDefaults()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if prover == nil || policy == nil {
		return nil, fmt.Errorf("%w: a prover and a policy are required", ErrBadParams)
	}
	if len(root.Goals) == 0 {
		return nil, ErrNoGoals
	}
	start := time.Now()
	var runCtx context.Context
	var cancel context.CancelFunc
	if p.WallTime > 0 {
		runCtx, cancel = context.WithTimeout(ctx, p.WallTime)
	} else {
		runCtx, cancel = context.WithCancel(ctx)
	}
	defer cancel()

	s := &searcher{
		p:      p,
		prover: prover,
		policy: policy,
		ctx:    runCtx,
		caller: ctx,
		table:  map[Key]*node{},
		rng:    rand.New(rand.NewPCG(uint64(p.Seed), 0x9e3779b97f4a7c15)),
		inline: p.MaxInFlight == 1,
	}
	s.valuer, _ = policy.(Valuer)
	if !s.inline {
		s.results = make(chan *job, p.Workers+p.PolicyWorkers)
		s.proverPool = pool.New().WithMaxGoroutines(p.Workers)
		s.policyPool = pool.New().WithMaxGoroutines(p.PolicyWorkers)
	}
	if p.InOrder {
		s.held = map[uint64]*job{}
	}
	rootState := State{Goals: slices.Clone(root.Goals)}
	s.root = s.newNode(rootState, KeyOf(rootState.Goals))
	if p.Mode == ModeBestFirst {
		s.mode = newBestFirst(s)
	} else {
		s.mode = newMCTS(s)
	}
	s.mode.nodeCreated(s.root)

	s.loop()

	s.mode.finish()
	cancel()
	if !s.inline {
		s.proverPool.Wait()
		s.policyPool.Wait()
	}
	s.abandonUnhandled()
	if s.panicked != "" {
		panic("search: a prover or policy call panicked: " + s.panicked)
	}
	if s.rootErr != nil {
		return nil, s.rootErr
	}
	s.stats.Nodes = len(s.nodes)
	s.stats.Elapsed = time.Since(start)
	r := &Result{Stop: s.stopReason, Stats: s.stats, root: s.root, nodes: s.nodes}
	if s.root.solve == proved {
		r.Proved = true
		r.Proof = extractProof(s.root)
	}
	return r, nil
}

func (s *searcher) loop() {
	stuckRounds := 0
	for {
		switch {
		case s.rootErr != nil:
			return
		case s.root.solve == proved:
			s.stopReason = StopProved
			return
		case s.root.solve == dead:
			s.stopReason = StopExhausted
			return
		case s.ctx.Err() != nil:
			s.stopReason = StopWallTime
			if s.caller.Err() != nil {
				s.stopReason = StopCancelled
			}
			return
		}
		if !s.stopping {
			switch {
			case s.stats.ProverCalls >= s.p.MaxProverCalls:
				s.stopping, s.stopReason = true, StopProverCalls
			case s.stats.Expansions >= s.p.MaxExpansions:
				s.stopping, s.stopReason = true, StopExpansions
			}
		}
		before := s.seq
		if !s.stopping {
			s.mode.fill()
		}
		if s.seq != before {
			stuckRounds = 0
		}
		if s.jobs == 0 {
			if s.stopping {
				return
			}
			if s.root.solve != unsolved || s.rootErr != nil {
				continue
			}
			stuckRounds++
			if !s.mode.stuck() || stuckRounds > 100 {
				s.stopReason = StopExhausted
				return
			}
			continue
		}
		j := s.next()
		if j == nil {
			continue // the context ended; the top of the loop says how
		}
		s.jobs--
		if j.panicked != "" {
			s.panicked = j.panicked
			s.abandon(j)
			return
		}
		if j.err != nil && s.ctx.Err() != nil {
			// The call failed because the search is ending (wall time,
			// cancellation): that says nothing about the tactic or the
			// state, so nothing is recorded.
			s.abandon(j)
		} else {
			s.mode.handle(j)
		}
		*j = job{tries: j.tries[:0]}
		s.freeJobs = append(s.freeJobs, j)
	}
}
