// Package corpus holds tactic traces: the (state, tactic, next state) steps of
// recorded proofs that train the learned policy and drive offline evaluation.
//
// Its parts:
//
//   - Theorem and Step (trace.go) are the records. A Theorem is one
//     declaration with its proof steps in order; a Step is the pretty-printed
//     proof state before a tactic, the tactic, the state after it ("no goals"
//     when it closed the last goal) and the premises it used when known.
//   - Load (load.go) imports LeanDojo Benchmark 4 JSON (an array of theorem
//     records, a single record, or an object mapping names to records) and
//     JSON-lines files of theorem records or of flat step pairs, in UTF-8.
//     Malformed input is an error naming the file and the record (its line,
//     and byte in a one-line file); Options.SkipBad counts and skips bad
//     records instead, and keeps the whole records of a file cut short.
//   - Split (split.go) divides theorems into train and development parts by a
//     hash of the theorem's full name, so a theorem never straddles the two
//     and the split does not depend on file order.
//   - ParseState and StateKey (state.go) turn trace text into search.State
//     values and normalize goal text into the key replay uses.
//   - Replay (replay.go) is a search.Prover built from traces: a tactic
//     succeeds from a recorded state exactly when a recorded proof applied it
//     there, giving the recorded next state; as in Lean, a tactic recorded
//     on a state's main goal alone also runs there, the other goals after.
//   - Store (store.go, results.go) is the bbolt database of traces, runs
//     (with their manifests), per-theorem results and the (state, tactic) →
//     outcome cache, under a versioned schema; one transaction per write,
//     a second process gets ErrStoreInUse, and a file cut short
//     ErrStoreDamaged rather than a crash. CachedProver (cached.go)
//     puts the cache in front of any prover, keyed by an environment (Env,
//     see leanrpc.EnvironmentKey) as well as the goal, and ProvedTraces turns the
//     proofs runs found back into traces (expert iteration).
//   - ExtractStatic (extract.go) reads declarations and their tactic blocks
//     from .lean source without Lean; TraceDynamic (dynamic.go) opens them
//     in Lean's server through leanrpc and reads the goal before and after
//     each tactic, giving LeanDojo-style records without LeanDojo.
package corpus
