package search

import (
	"context"
	"errors"
	"fmt"
	"math"
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

// A Valuer estimates how close a state is to proved, in [0, 1]. When the
// Policy given to Run also implements Valuer, MCTS uses it for the value of
// each node it expands (called in the same job, after Propose); otherwise
// it uses a heuristic on the goals' count and size.
type Valuer interface {
	Value(ctx context.Context, s State) (float64, error)
}

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
	tactics []string

	cands    []Candidate
	value    float64
	hasValue bool
	step     Step
	tries    []rolloutTry
	err      error
}

type rolloutTry struct {
	tactic string
	step   Step
	err    error
}

// strategy is what a search mode adds to the engine.
type strategy interface {
	// fill starts work until the in-flight limit, a budget or a collision
	// limit stops it.
	fill()
	// handle consumes a finished job.
	handle(j *job)
	// nodeCreated learns of a node reached for the first time.
	nodeCreated(n *node)
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

	stopping   bool // a count budget is spent: start nothing new
	stopReason StopReason
	rootErr    error
}

// Run searches for a proof of root. It returns an error only for unusable
// Params, a root without goals, or a failing policy at the root; running out
// of budget is a Result with Proved false and the StopReason set.
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
		s.mode.handle(j)
		*j = job{tries: j.tries[:0]}
		s.freeJobs = append(s.freeJobs, j)
	}
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
		s.policyPool.Go(func() { s.exec(s.ctx, j); s.results <- j })
	}
	for len(s.proverQueue) > 0 && s.proverBusy < s.p.Workers {
		j := s.proverQueue[0]
		s.proverQueue = s.proverQueue[1:]
		s.proverBusy++
		s.proverPool.Go(func() { s.exec(s.ctx, j); s.results <- j })
	}
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

// expansionJob and rolloutJob prepare the work for a node; nodeWork picks
// between them: the closing rollout first (once per node, when enabled and
// affordable), then the policy. It returns nil when neither fits the
// budget.
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
	j.k = s.p.CandidatesPerNode
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
// outcome at once.
func (s *searcher) finishExpansion(j *job) {
	n := j.node
	n.expand = expanded
	if j.err != nil {
		s.stats.PolicyErrors++
		if n == s.root {
			s.rootErr = fmt.Errorf("%w: %w", ErrPolicy, j.err)
			return
		}
	}
	if j.hasValue {
		n.u = j.value
	}
	// Copy into edges first: the policy may share its slice.
	n.edges = make([]edge, 0, len(j.cands))
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
	s.orderEdges(n.edges)
	for i := range n.edges {
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

// markProved marks n proved through edge ei and propagates to every parent
// (a proof state is an OR node: one proved edge proves it).
func (s *searcher) markProved(n *node, ei int) {
	type item struct {
		n  *node
		ei int
	}
	stack := []item{{n, ei}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.n.solve != unsolved {
			continue
		}
		it.n.solve = proved
		it.n.proofEdge = it.ei
		for _, pr := range it.n.parents {
			if pr.node.solve == unsolved && pr.node.edges[pr.edge].status == applied {
				stack = append(stack, item{pr.node, pr.edge})
			}
		}
	}
}

// checkDead marks n dead when it is expanded and none of its edges is live,
// and propagates to parents that this leaves with no live edge.
func (s *searcher) checkDead(n *node) {
	stack := []*node{n}
	for len(stack) > 0 {
		m := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if m.solve != unsolved || m.expand != expanded || hasLiveEdge(m) {
			continue
		}
		m.solve = dead
		for _, pr := range m.parents {
			stack = append(stack, pr.node)
		}
	}
}

func hasLiveEdge(n *node) bool {
	for i := range n.edges {
		if n.edges[i].live() {
			return true
		}
	}
	return false
}

// sweepDead marks dead every unsolved node that cannot reach unfinished
// work (an unexpanded or expanding node, or an untried or running edge):
// such a node can never be proved in this search. The local rule of
// checkDead cannot see this when nodes lead only to each other (a cycle).
// It reports whether it marked any.
func (s *searcher) sweepDead() bool {
	alive := make([]bool, len(s.nodes))
	var stack []*node
	for _, n := range s.nodes {
		if n.solve != unsolved {
			continue
		}
		frontier := n.expand != expanded
		for i := range n.edges {
			if st := n.edges[i].status; st == untried || st == running {
				frontier = true
			}
		}
		if frontier {
			alive[n.id] = true
			stack = append(stack, n)
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, pr := range n.parents {
			if p := pr.node; !alive[p.id] && p.solve == unsolved && p.edges[pr.edge].status == applied {
				alive[p.id] = true
				stack = append(stack, p)
			}
		}
	}
	changed := false
	for _, n := range s.nodes {
		if n.solve == unsolved && !alive[n.id] {
			n.solve = dead
			changed = true
		}
	}
	return changed
}

// extractProof follows the proving edges from the root. They form no cycle:
// a node is marked proved only after the node its proof edge leads to.
func extractProof(root *node) []string {
	var proof []string
	for n := root; n != nil && n.solve == proved; {
		e := &n.edges[n.proofEdge]
		proof = append(proof, e.tactic)
		if e.status == closed {
			break
		}
		n = e.child
	}
	return proof
}
