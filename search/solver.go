package search

// The solver: exact proved and dead results, propagated through the graph
// (MCTS-Solver), and the proof they yield.

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
		if m.solve != unsolved || m.expand != expanded || hasLiveEdge(m) || s.widen(m) {
			continue
		}
		m.solve = dead
		for _, pr := range m.parents {
			stack = append(stack, pr.node)
		}
	}
}

// widen reopens n, every candidate of which failed or leads to a dead node,
// for one more expansion instead of letting it die, when the policy may
// have more to offer and the budget allows (Params.Widenings). The strategy
// schedules the expansion like a new node's; it asks for twice as many
// candidates as the last and keeps the new ones (finishExpansion). It
// reports whether n was reopened.
func (s *searcher) widen(n *node) bool {
	if !n.mayWiden || n.widened >= s.p.Widenings || !s.canExpand() {
		return false
	}
	n.mayWiden = false
	n.expand = unexpanded
	s.mode.nodeReopened(n)
	return true
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
// Before dying, each such node gets the widening checkDead would have given
// it (widen); a reopened node is work again, and so are the nodes that reach
// it. It reports whether it marked or reopened any.
func (s *searcher) sweepDead() bool {
	alive := s.reachesWork()
	reopened := false
	for _, n := range s.nodes {
		if n.solve == unsolved && !alive[n.id] && n.expand == expanded && s.widen(n) {
			reopened = true
		}
	}
	if reopened {
		alive = s.reachesWork()
	}
	changed := reopened
	for _, n := range s.nodes {
		if n.solve == unsolved && !alive[n.id] {
			n.solve = dead
			changed = true
		}
	}
	return changed
}

// reachesWork reports, by node id, which unsolved nodes can reach unfinished
// work through applied edges.
func (s *searcher) reachesWork() []bool {
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
	return alive
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
