package search

// The search graph. Every field here is owned by the goroutine that runs the
// search (see engine.go); jobs never touch a node or an edge, they get copies
// of what they need and send results back.
//
//	node ──edges[i]──▶ node        an edge is a candidate tactic with a prior;
//	  │                            it is "dangling" (child nil) until the
//	  └─edges[j] (untried)         tactic is first selected and applied.
//
// Nodes are shared: two edges whose tactics reach states with equal Keys
// point at one node, so the graph is a DAG, or has cycles, which selection
// cuts by never descending into a node already on its path.

// expandState is the node's expansion lifecycle (leela-zero ExpandState). It
// only moves forward, except that widen sends a node whose candidates all
// failed back to unexpanded, keeping its edges, for a wider expansion.
type expandState uint8

const (
	unexpanded expandState = iota // no edges yet, or reopened to get more (solver.go, widen)
	expanding                     // a policy job (or rollout) is in flight
	expanded                      // edges fixed, in prior order
)

// solveState is the solver's verdict (MCTS-Solver).
type solveState uint8

const (
	unsolved solveState = iota
	proved              // some edge closes it or leads to a proved node
	dead                // every edge failed or leads to a dead node
)

func (s solveState) String() string {
	switch s {
	case proved:
		return "proved"
	case dead:
		return "dead"
	}
	return "open"
}

// edgeStatus is the lifecycle of one candidate tactic.
type edgeStatus uint8

const (
	untried edgeStatus = iota // not yet applied
	running                   // an apply job is in flight
	applied                   // the tactic succeeded; child is set
	closed                    // the tactic closed every goal
	failed                    // error, timeout, invalid, or repeated prover failure
)

var edgeStatusNames = [...]string{"untried", "running", "applied", "closed", "failed"}

func (s edgeStatus) String() string { return edgeStatusNames[s] }

type edge struct {
	tactic string
	prior  float64
	n      int // completed visits through this edge
	vl     int // playouts in flight through this edge (virtual loss)
	status edgeStatus
	child  *node  // set once applied
	fails  int    // prover failures (not tactic errors) so far
	msg    string // why it failed, for the tree export
}

type parentRef struct {
	node *node
	edge int
}

type node struct {
	id     int // creation order: stable across runs, used by the export
	key    Key
	state  State // goals, and the first path that reached them
	expand expandState
	solve  solveState
	edges  []edge
	// parents are the edges that lead here, for solver propagation.
	parents []parentRef

	u          float64 // the node's own value: Valuer or heuristic
	q          float64 // (u + Σ n_a·Q_a + 0·zeroVisits) / (1 + Σ n_a + zeroVisits)
	zeroVisits int     // playouts from here that ended in failure or a cycle
	vl         int     // playouts in flight through this node
	proofEdge  int     // the edge that proves it, when proved
	logp       float64 // best-first: cumulative log prior of the first path
	mark       uint64  // descent epoch, for cycle detection while selecting

	// widened counts the node's re-expansions that started
	// (Params.Widenings); mayWiden says that its last expansion got every
	// candidate it asked for, new ones among them, so asking for more may
	// give more.
	widened  int
	mayWiden bool

	// tried remembers closing-rollout outcomes, so the policy proposing the
	// same tactic later costs no prover call.
	tried map[string]Step
}

func (n *node) depth() int { return len(n.state.Trace) }

// visits is the node's completed visit count.
func (n *node) visits() int {
	v := 1 + n.zeroVisits
	for i := range n.edges {
		v += n.edges[i].n
	}
	return v
}

// recomputeQ sets q from u and the children's values, idempotently (KataGo
// GraphSearch.md): stale values deeper in a DAG make it imprecise, never
// inconsistent.
func (n *node) recomputeQ() {
	sum, w := n.u, 1.0+float64(n.zeroVisits)
	for i := range n.edges {
		e := &n.edges[i]
		if e.n == 0 {
			continue
		}
		w += float64(e.n)
		sum += float64(e.n) * e.value()
	}
	n.q = sum / w
}

// value is the edge's Q: 1 for a closing tactic, the child's Q otherwise.
func (e *edge) value() float64 {
	switch {
	case e.status == closed:
		return 1
	case e.child == nil:
		return 0
	case e.child.solve == proved:
		return 1
	case e.child.solve == dead:
		return 0
	}
	return e.child.q
}

// live reports whether the edge can still lead to a proof.
func (e *edge) live() bool {
	switch e.status {
	case failed:
		return false
	case applied:
		return e.child.solve != dead
	}
	return true
}
