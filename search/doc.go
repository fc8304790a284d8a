// Package search finds proofs by searching the graph of proof states that
// tactics connect: Monte Carlo tree search (PUCT or UCB1) and, for
// comparison at equal budgets, best-first search.
//
// Nothing here knows about Lean. The search talks to the world through two
// small interfaces it owns: a Prover applies a tactic to a State, and a
// Policy proposes candidate tactics with priors (and, if it also implements
// Valuer, estimates values). The leanrpc, corpus and policy packages provide
// the real implementations; search/searchtest provides synthetic ones.
//
// # Architecture
//
// Run owns the whole graph on the calling goroutine; nodes and edges have no
// locks. Slow work goes out as jobs: policy calls (expansions) on one
// bounded conc pool of PolicyWorkers goroutines, prover calls on another of
// Workers goroutines. Finished jobs come back on one channel and the owner
// applies them. Jobs get copies of what they need (the State, the tactic)
// and never touch the graph. With MaxInFlight 1 there is nothing to overlap
// and jobs run inline on the owner goroutine. A panic in a prover or policy
// call ends the search and is raised again from Run, after every other job
// has returned.
//
//	engine.go    Run and the owner loop
//	jobs.go      jobs, the two pools, and collecting results
//	graph.go     graph updates: nodes, edges, tactic outcomes
//	solver.go    proved and dead propagation, proof extraction
//	mcts.go      MCTS: descent with virtual loss, playouts, backup
//	bestfirst.go best-first: a priority queue of nodes and edges
//	select.go    the selection and priority arithmetic, as pure functions
//	tree.go      nodes and edges
//	key.go       state keys and goal normalization
//	export.go    Result.Tree, as JSON and Graphviz DOT
//
// # The graph
//
// A node is a proof state, identified by its Key: a 128-bit hash of the
// normalized goal list (NormalizeGoal documents what is normalized: layout
// whitespace, hypothesis grouping and order, inaccessible-name numbering;
// never goal order or content). Nodes reached along different paths are
// shared (transpositions); the node keeps the first path as its State.Trace,
// which is always an exact tactic path from the root to that state, so a
// prover that replays Trace reconstructs it. Cycles are cut during descent:
// selection never enters a node already on its path, and a tactic that leads
// back onto its own path counts as a visit of value 0.
//
// Edges are lazy: a node's expansion asks the policy for
// CandidatesPerNode tactics, and a tactic is applied only when selection
// first picks its edge.
//
// A node whose every candidate failed (or leads to a dead node) is not given
// up at once: it is reopened and expanded again, asking the policy for twice
// as many candidates as the last time, and the new ones become edges
// appended after the old (Widenings times at most, and only while the policy
// keeps filling its answers). Without it, a search whose root's first 16
// tactics all fail ends with most of its budget unspent, although the right
// tactic is often just past them.
//
// # MCTS
//
// A playout descends from the root by PUCT (or UCB1, see select.go for the
// formulas and the first-play value of unvisited edges), adding virtual
// loss to every node and edge it passes, until it reaches an untried edge
// (apply it) or an unexpanded node (expand it). A new node is expanded in the
// same playout, after the optional closing rollout (ClosingRollout: a small
// portfolio of finishing tactics tried first). The node's value is the
// Valuer's estimate or a heuristic on its goals' count and size; it is
// backed up by recomputing Q = (u + Σ N(a)·Q(a)) / (1 + Σ N(a)) bottom-up
// along the path (KataGo's idempotent graph update), and the virtual loss is
// removed. A failed tactic counts as a visit of value 0 at its node. Edges
// that are running and children being expanded are skipped by selection;
// a descent that finds only such work is a collision, which holds its
// virtual loss until the next result arrives.
//
// The solver propagates exact results (MCTS-Solver): a node is proved when
// any edge closes it or leads to a proved node, and dead when every edge
// failed or leads to a dead node. When nothing is in flight and no work can
// be found, a sweep marks dead every node that can no longer reach
// unfinished work (which the local rule cannot see inside cycles). The
// search stops at the first proof of the root.
//
// # Best-first
//
// ModeBestFirst runs over the same graph, jobs and budgets: it repeatedly
// takes the open node or untried edge with the highest cumulative log prior
// (divided by depth with LengthNormalize).
//
// # Budgets and stopping
//
// MaxExpansions counts policy calls and MaxProverCalls tactic applications
// (closing-rollout tries included), both counted when a job starts, so they
// are never exceeded. When one is spent, the search starts nothing new,
// lets the jobs in flight finish (a proof may still arrive), and stops with
// that StopReason. WallTime and the caller's context cancel the jobs in
// flight; TacticTimeout bounds each Prover.Apply through its context, and a
// tactic that runs out of it is a failed edge (OutcomeTimeout). Run returns
// after every job has returned.
//
// # Determinism
//
// With a fixed Seed (which orders candidates of equal prior) and a
// deterministic prover and policy, a search with MaxInFlight 1 (the default
// for one worker) gives the same Result and the same tree every time. With
// several jobs in flight, results are applied as they finish, so the tree
// depends on timing; set InOrder to apply them in the order the jobs started
// instead, which makes any number of workers deterministic at the cost of
// waiting for the oldest job. A WallTime budget is timing by nature.
package search
