// Package searchtest provides synthetic stand-ins for Lean and a policy, so
// the search can be tested and benchmarked without either.
//
// A World is a family of proof states generated on the fly from a seed: each
// state has a distance to a proof, one "good" tactic that brings it one step
// closer, and other tactics that fail, time out, lead to dead ends, or lead
// to states further away. Some successors are drawn from a small pool per
// distance, so different paths reach the same state (transpositions) and
// paths can come back to where they started (cycles). Everything is a pure
// function of the seed and the state's text, so the prover is deterministic
// and safe for concurrent use; latency and prover failures are optional.
//
// A Policy knows the World's good tactic and hides it behind Gaussian noise
// of tunable strength: Noise 0 is an oracle, large Noise a blind guess.
// ValuedPolicy adds a noisy value estimate (search.Valuer).
//
// Problems returns a fixed set of problems of mixed difficulty, for
// benchmarks that compare search modes at equal budgets.
package searchtest
