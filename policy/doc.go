// Package policy proposes tactics for proof states: the search.Policy
// implementations the search consults.
//
//   - Learned (learned.go, template.go, features.go, generate.go,
//     hypshape.go, structural.go, goalshape.go, leantext.go, rank.go,
//     calibrate.go) is a nearest-neighbour policy in the manner
//     of TacticToe and Tactician: each recorded state is a bag of
//     goal features (target symbols and bigrams, hypothesis-type symbols,
//     dotted-name parts) weighted by TF-IDF; the most similar recorded
//     states vote for their tactics, with references to local hypotheses
//     abstracted into slots and re-filled from the new state's hypotheses
//     (matched by name, type similarity and position; the runner-up fill is
//     offered too; constants of the target are abstracted the same way, so
//     "unfold harmonic" transfers as "unfold" of the target's first
//     constant). Tactics never seen verbatim are generated: neighbour
//     shapes with their one lemma abstracted ("rw [◆] at h") filled with the
//     lemmas the neighbours cite; the commonest one-local shapes ("simpa
//     using □", "induction' □ with □ ih") filled with the state's last
//     proofs and variables, and one-constant shapes ("unfold ◈") with the
//     target's constants; and structural tactics that the state's form
//     dictates (structural.go: intro with the target's binder names,
//     obtain/rcases patterns for ∃ and ∧ hypotheses, nontriviality,
//     by_cases/split_ifs on the target's if-then-else conditions, and the
//     closing terms a syntactic match finds: exact h, h.symm, h.1, le_rfl).
//     Every candidate is ranked by a linear score over its evidence (votes,
//     global frequency, shape frequency, recency, length, and how much the
//     goal's shape (goalshape.go: its relation, binders, hypotheses) raises
//     the odds of its tactic and shape), fitted by cross-fitting over the
//     training theorems, and its softmax share is mapped to a calibrated
//     probability. It trains in a few seconds on the shared
//     traces and is saved to one file with a version header (modelfile.go).
//   - Portfolio (portfolio.go) needs no training: core-Lean tactics (omega,
//     decide, simp, intro with the names the target's binders and premises
//     get (read as the learned policy reads them, structural.go),
//     constructor, exact h, cases, induction) ranked by the shape of the
//     first goal; with Mathlib (portfolio_mathlib.go, spec
//     "portfolio:mathlib") also Mathlib's finishers (norm_num, linarith,
//     positivity, ring, norm_cast, ext, aesop, …) where the goal calls for
//     them.
//   - Premises (premises.go, premiseparse.go) cites the project's own
//     earlier lemmas: ranked by a wildcard match of their conclusion with
//     the goal plus TF-IDF, applied with hypotheses filled from the goal;
//     PremisesFor builds it for a leanrpc.Target.
//   - Frequency (frequency.go) is the baseline: the most common tactics, the
//     same for every state.
//   - LLM (llm.go, prompt.go) asks any OpenAI-compatible chat endpoint for
//     n sampled tactics, with timeouts, retries and a concurrency limit.
//   - Mixture (mixture.go) merges several policies, removing duplicates and
//     sanitizing every tactic with leanrpc.SanitizeTactic.
//   - Evaluate (eval.go) measures top-1/top-k exact-match accuracy of the
//     next tactic on held-out examples, and the recall at the cutoffs a
//     search sees (16 candidates, then 32, 64, 128 when it widens); MeasureCeiling (ceiling.go) says
//     how many of them any policy learned from the same training data could
//     match at all.
//   - FromSpec (spec.go) builds a policy from a command-line spec such as
//     "portfolio+learned:model.bin" or
//     "learned:model.bin+llm:qwen@http://localhost:8000/v1"; prove, policy
//     eval and bench all read specs with it.
package policy
