package search

import "container/heap"

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

type bfQueue []bfItem

func (q bfQueue) Len() int { return len(q) }
func (q bfQueue) Less(i, j int) bool {
	if q[i].prio != q[j].prio {
		return q[i].prio > q[j].prio
	}
	return q[i].seq < q[j].seq
}
func (q bfQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *bfQueue) Push(x any)   { *q = append(*q, x.(bfItem)) }
func (q *bfQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
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
	heap.Push(&b.queue, bfItem{prio: bestFirstPriority(logp, depth, b.s.p.LengthNormalize), seq: b.pushed, node: n, edge: ei})
	b.pushed++
}

func (b *bestFirst) nodeCreated(n *node) { b.push(n, -1) }

func (b *bestFirst) fill() {
	s := b.s
	for b.inFlight < s.p.MaxInFlight && len(b.queue) > 0 && s.root.solve == unsolved && !s.stopping {
		it := b.queue[0]
		n := it.node
		if n.solve != unsolved {
			heap.Pop(&b.queue)
			continue
		}
		if it.edge < 0 {
			if n.expand != unexpanded {
				heap.Pop(&b.queue)
				continue
			}
			j := s.nodeWork(n)
			if j == nil {
				return
			}
			heap.Pop(&b.queue)
			n.expand = expanding
			b.inFlight++
			s.start(j)
			continue
		}
		if n.edges[it.edge].status != untried {
			heap.Pop(&b.queue)
			continue
		}
		if !s.canApply(1) {
			return
		}
		heap.Pop(&b.queue)
		n.edges[it.edge].status = running
		b.inFlight++
		s.start(&job{kind: jobApply, node: n, edge: it.edge, state: n.state, tactic: n.edges[it.edge].tactic})
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
		e := &n.edges[j.edge]
		if j.err != nil {
			s.stats.ProverErrors++
			e.fails++
			e.status = untried
			if e.fails >= 2 {
				e.status, e.msg = failed, "prover error: "+truncate(j.err.Error(), 200)
				s.checkDead(n)
				return
			}
			b.push(n, j.edge)
			return
		}
		s.applyStep(n, j.edge, j.step)
	}
}

func (b *bestFirst) stuck() bool {
	// An empty queue with nothing in flight: every line was tried.
	b.s.sweepDead()
	return false
}

func (b *bestFirst) finish() {}
