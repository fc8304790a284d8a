package search

// MCTS: select a leaf by PUCT (or UCB1) with virtual loss, start its job,
// and back the value up when the job (or the chain of jobs: apply, closing
// rollout, expansion) finishes.

// A pathStep is one node of a playout's path and the edge taken from it
// (-1 for the leaf node).
type pathStep struct {
	node *node
	edge int
}

// A playout is one selection in flight: its path holds virtual loss until
// it is backed up or abandoned.
type playout struct {
	path []pathStep
}

// onPath reports whether n is on the playout's path.
func (pl *playout) onPath(n *node) bool {
	for _, st := range pl.path {
		if st.node == n {
			return true
		}
	}
	return false
}

type mcts struct {
	s          *searcher
	inFlight   int        // playouts started and not yet backed up
	collisions []*playout // holding virtual loss until the next result
	free       []*playout // recycled playouts
	epoch      uint64
}

func newMCTS(s *searcher) *mcts { return &mcts{s: s} }

func (m *mcts) nodeCreated(*node) {}

// nodeReopened needs nothing: descent expands the unexpanded node it reaches.
func (m *mcts) nodeReopened(*node) {}

// descent outcomes
type descent uint8

const (
	descStarted   descent = iota // a job is in flight for the playout
	descDone                     // the playout ended without a job (cached outcome, cycle)
	descCollision                // only work already in flight was reachable
	descNone                     // nothing to do (budget, solved)
)

func (m *mcts) fill() {
	s := m.s
	jobless := 0
	for m.inFlight < s.p.MaxInFlight && s.root.solve == unsolved && !s.stopping {
		switch m.descend() {
		case descStarted:
			jobless = 0
		case descDone:
			jobless++
			if jobless > 64+2*len(s.nodes) {
				return
			}
		case descCollision:
			if len(m.collisions) >= s.p.CollisionLimit {
				return
			}
		case descNone:
			return
		}
	}
}

func (m *mcts) newPlayout() *playout {
	if n := len(m.free); n > 0 {
		pl := m.free[n-1]
		m.free = m.free[:n-1]
		pl.path = pl.path[:0]
		return pl
	}
	return &playout{path: make([]pathStep, 0, 16)}
}

// descend walks from the root to a leaf and starts its work.
func (m *mcts) descend() descent {
	s := m.s
	m.epoch++
	pl := m.newPlayout()
	n := s.root
	for {
		n.mark = m.epoch
		if n.expand != expanded {
			if n.expand == expanding {
				m.addPath(pl, n)
				m.collisions = append(m.collisions, pl)
				s.stats.Collisions++
				return descCollision
			}
			j := s.nodeWork(n)
			if j == nil {
				m.free = append(m.free, pl)
				return descNone
			}
			m.addPath(pl, n)
			m.startJob(pl, j)
			return descStarted
		}
		ei, busy := m.pick(n)
		if ei < 0 {
			if busy {
				m.addPath(pl, n)
				m.collisions = append(m.collisions, pl)
				s.stats.Collisions++
				return descCollision
			}
			// Every live edge leads back onto the path: a cycle. Count a
			// visit of value 0 so selection learns to go elsewhere.
			if !hasLiveEdge(n) {
				s.checkDead(n)
				m.free = append(m.free, pl)
				return descDone
			}
			s.stats.Cycles++
			m.addPath(pl, n)
			m.backup(pl, backupZero)
			return descDone
		}
		e := &n.edges[ei]
		pl.path = append(pl.path, pathStep{n, ei})
		if e.status == untried {
			m.addVirtualLoss(pl)
			if !s.canApply(1) {
				m.backup(pl, backupAbort)
				return descNone
			}
			e.status = running
			j := s.newJob(jobApply, n, ei)
			j.tactic = e.tactic
			m.startJob(pl, j)
			return descStarted
		}
		n = e.child
	}
}

// pick chooses the edge to descend from n: the best score among live edges
// that are not running and do not lead to a node being expanded or already
// on this path. busy reports that some edge was skipped because work is in
// flight there.
func (m *mcts) pick(n *node) (best int, busy bool) {
	p := &m.s.p
	vlw := p.virtualLoss()
	weight := float64(n.zeroVisits)
	mass := 0.0
	for i := range n.edges {
		e := &n.edges[i]
		if !e.live() {
			continue
		}
		weight += float64(e.n) + vlw*float64(e.vl)
		if e.n > 0 {
			mass += e.prior
		}
	}
	fpu := firstPlayValue(n.q, mass, p.fpuReduction())
	c := puctC(p.CPuct, p.CLog, p.CBase, weight)
	best, bestScore := -1, 0.0
	for i := range n.edges {
		e := &n.edges[i]
		if !e.live() {
			continue
		}
		if e.status == running || (e.child != nil && e.child.expand == expanding) {
			busy = true
			continue
		}
		if e.child != nil && e.child.mark == m.epoch {
			continue // a cycle on this path
		}
		nEff, qEff, visited := withVirtualLoss(e.n, e.value(), e.vl, vlw)
		if !visited {
			qEff = fpu
		}
		var score float64
		if p.Selection == SelectUCB1 {
			score = ucb1Score(qEff, nEff, weight, p.UCBC)
		} else {
			score = puctScore(qEff, e.prior, nEff, weight, c)
		}
		if best < 0 || score > bestScore {
			best, bestScore = i, score
		}
	}
	return best, busy
}

// addPath appends the leaf node and adds virtual loss along the whole path.
func (m *mcts) addPath(pl *playout, leaf *node) {
	pl.path = append(pl.path, pathStep{leaf, -1})
	m.addVirtualLoss(pl)
}

func (m *mcts) addVirtualLoss(pl *playout) {
	for _, st := range pl.path {
		st.node.vl++
		if st.edge >= 0 {
			st.node.edges[st.edge].vl++
		}
	}
}

func (m *mcts) startJob(pl *playout, j *job) {
	if j.kind != jobApply {
		j.node.expand = expanding
	}
	j.play = pl
	m.inFlight++
	m.s.start(j)
}

// continueJob starts the next job of a playout's chain.
func (m *mcts) continueJob(pl *playout, j *job) {
	if j.kind != jobApply {
		j.node.expand = expanding
	}
	j.play = pl
	m.s.start(j)
}

type backupKind uint8

const (
	backupVisit backupKind = iota // a visit through every edge on the path
	backupZero                    // the last step failed or cycled: a visit of value 0 at its node
	backupAbort                   // nothing learned: only remove virtual loss
)

// backup removes the playout's virtual loss and, unless aborted, counts its
// visit and recomputes Q bottom-up along the path.
func (m *mcts) backup(pl *playout, kind backupKind) {
	for i := len(pl.path) - 1; i >= 0; i-- {
		st := pl.path[i]
		n := st.node
		n.vl--
		last := i == len(pl.path)-1
		if st.edge >= 0 {
			e := &n.edges[st.edge]
			e.vl--
			if kind == backupVisit || (kind == backupZero && !last) {
				e.n++
			}
		}
		if kind == backupZero && last {
			n.zeroVisits++
		}
		if kind != backupAbort {
			n.recomputeQ()
		}
	}
	if kind != backupAbort {
		m.s.stats.Playouts++
	}
	m.free = append(m.free, pl)
}

// endPlayout backs a playout up and frees its slot.
func (m *mcts) endPlayout(pl *playout, kind backupKind) {
	m.inFlight--
	m.backup(pl, kind)
}

func (m *mcts) handle(j *job) {
	s := m.s
	pl := j.play
	switch j.kind {
	case jobExpand:
		s.finishExpansion(j)
		m.endPlayout(pl, backupVisit)
	case jobRollout:
		if s.finishRollout(j) {
			m.endPlayout(pl, backupVisit)
			break
		}
		j.node.expand = unexpanded
		m.leafWork(pl, j.node)
	case jobApply:
		m.handleApply(pl, j)
	}
	m.releaseCollisions()
}

// leafWork continues a playout that reached node n: its rollout or
// expansion, or a backup of its current value when the budget allows
// neither.
func (m *mcts) leafWork(pl *playout, n *node) {
	if n.expand == unexpanded && n.solve == unsolved {
		if next := m.s.nodeWork(n); next != nil {
			m.continueJob(pl, next)
			return
		}
	}
	m.endPlayout(pl, backupVisit)
}

func (m *mcts) handleApply(pl *playout, j *job) {
	s := m.s
	n, ei := j.node, j.edge
	if j.err != nil {
		// The prover failed, not the tactic: the edge is not applied.
		s.proverFailed(n, ei, j.err)
		m.endPlayout(pl, backupAbort)
		return
	}
	res, child := s.applyStep(n, ei, j.step)
	switch res {
	case stepFailed:
		m.endPlayout(pl, backupZero)
	case stepClosed:
		m.endPlayout(pl, backupVisit)
	case stepNewNode:
		pl.path = append(pl.path, pathStep{child, -1})
		child.vl++
		m.leafWork(pl, child)
	case stepOldNode:
		if pl.onPath(child) {
			s.stats.Cycles++
			m.endPlayout(pl, backupZero)
			return
		}
		pl.path = append(pl.path, pathStep{child, -1})
		child.vl++
		if child.expand == unexpanded {
			m.leafWork(pl, child)
			return
		}
		m.endPlayout(pl, backupVisit)
	}
}

// releaseCollisions removes the virtual loss that collided playouts held
// while the owner waited for a result.
func (m *mcts) releaseCollisions() {
	for _, pl := range m.collisions {
		m.backup(pl, backupAbort)
	}
	m.collisions = m.collisions[:0]
}

func (m *mcts) stuck() bool {
	m.releaseCollisions()
	m.s.sweepDead()
	return m.s.root.solve == unsolved
}

func (m *mcts) abandon(j *job) {
	m.endPlayout(j.play, backupAbort)
}

func (m *mcts) finish() {
	m.releaseCollisions()
}
