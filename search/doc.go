// Package search finds proofs by searching the graph of proof states that
// tactics connect: Monte Carlo tree search (PUCT or UCB1) and, for
// comparison at equal budgets, best-first search.
//
// Nothing here knows about Lean. The search talks to the world through two
// small interfaces it owns: a Prover applies a tactic to a State, and a
// Policy proposes candidate tactics with priors. The leanrpc, corpus and
// policy packages provide the real implementations; search/searchtest
// provides synthetic ones.
package search
