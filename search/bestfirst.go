package search

// Best-first search over the same graph and jobs: a priority queue of open
// work ranked by cumulative log prior (GPT-f, LeanDojo's baseline). Work
// items are nodes to expand and, lazily, edges to apply: an edge from a node
// with cumulative log prior L ranks at L + ln(prior), and the node it reaches
// inherits that value. With LengthNormalize the rank is divided by the
// depth. Ties go to the item queued first, so the order is deterministic.

type bfItem struct {
	prio float64
	seq  uint64
	node *node
	edge int // -1: expand the node
}

// bfQueue is a max-heap of items. It is written out rather than built on
// container/heap, whose interface boxing would cost an allocation per push.
type bfQueue []bfItem

func (q bfQueue) less(i, j int) bool {
	if q[i].prio != q[j].prio {
		return q[i].prio > q[j].prio
	}
	return q[i].seq < q[j].seq
}

func (q *bfQueue) push(it bfItem) {
	*q = append(*q, it)
	h := *q
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (q *bfQueue) pop() bfItem {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, best := 2*i+1, 2*i+2, i
		if l < len(h) && h.less(l, best) {
			best = l
		}
		if r < len(h) && h.less(r, best) {
			best = r
		}
		if best == i {
			break
		}
		h[i], h[best] = h[best], h[i]
		i = best
	}
	*q = h
	return top
}

type bestFirst struct {
	s        *searcher
	queue    bfQueue
	pushed   uint64
	inFlight int
}

func newBestFirst(s *searcher) *bestFirst { return &bestFirst{s: s} }

func (b *bestFirst) push(n *node, ei int) {
	logp, depth := n.logp, n.depth()
	if ei >= 0 {
		logp += logPrior(n.edges[ei].prior)
		depth++
	}
	b.queue.push(bfItem{prio: bestFirstPriority(logp, depth, b.s.p.LengthNormalize), seq: b.pushed, node: n, edge: ei})
	b.pushed++
}

func (b *bestFirst) nodeCreated(n *node) { b.push(n, -1) }

// nodeReopened queues the node's wider expansion at the node's own rank, as
// a new node's.
func (b *bestFirst) nodeReopened(n *node) { b.push(n, -1) }

func (b *bestFirst) fill() {
	s := b.s
	for b.inFlight < s.p.MaxInFlight && len(b.queue) > 0 && s.root.solve == unsolved && !s.stopping {
		it := b.queue[0]
		n := it.node
		if n.solve != unsolved {
			b.queue.pop()
			continue
		}
		if it.edge < 0 {
			if n.expand != unexpanded {
				b.queue.pop()
				continue
			}
			j := s.nodeWork(n)
			if j == nil {
				return
			}
			b.queue.pop()
			n.expand = expanding
			b.inFlight++
			s.start(j)
			continue
		}
		if n.edges[it.edge].status != untried {
			b.queue.pop()
			continue
		}
		if !s.canApply(1) {
			return
		}
		b.queue.pop()
		n.edges[it.edge].status = running
		b.inFlight++
		j := s.newJob(jobApply, n, it.edge)
		j.tactic = n.edges[it.edge].tactic
		s.start(j)
	}
}

func (b *bestFirst) handle(j *job) {
	s := b.s
	b.inFlight--
	n := j.node
	switch j.kind {
	case jobRollout:
		if !s.finishRollout(j) {
			n.expand = unexpanded
			b.push(n, -1) // at its own rank: expansion comes next
		}
	case jobExpand:
		s.finishExpansion(j)
		for i := range n.edges {
			if n.edges[i].status == untried {
				b.push(n, i)
			}
		}
	case jobApply:
		if j.err != nil {
			if s.proverFailed(n, j.edge, j.err) {
				b.push(n, j.edge)
			}
			return
		}
		s.applyStep(n, j.edge, j.step)
	}
}

func (b *bestFirst) stuck() bool {
	// An empty queue with nothing in flight: every line was tried, unless
	// the sweep reopened a node for a wider expansion (nodeReopened queued
	// it).
	b.s.sweepDead()
	return b.s.root.solve == unsolved && len(b.queue) > 0
}

func (b *bestFirst) abandon(*job) { b.inFlight-- }

func (b *bestFirst) finish() {}
