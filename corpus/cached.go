package corpus

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/leanprove/leanprove/search"
)

// CachedProver answers from the store's (state, tactic) → outcome cache
// when it can and asks Prover otherwise, recording what it learns. Timeouts
// are not cached: a later run with more time may succeed. The cache is
// shared across runs, so a state seen before costs no Lean call.
//
// Goal text alone does not decide Lean's answer: the same goal behaves
// differently under another file context, other imported project files,
// another toolchain, Mathlib revision or heartbeat limit. Env must
// therefore identify the environment the outcomes were observed in (such
// as leanrpc.EnvironmentKey); entries are kept apart per Env. An empty Env
// shares the entries keyed by goal text alone (replayed traces, the proof
// steps batches store for training), which is sound only where one
// environment is all there is. A wrong entry can cost a proof or propose
// one that fails; the caller must still verify every proof on Lean.
type CachedProver struct {
	Prover search.Prover
	Store  *Store
	Env    string // must not contain NUL, the separator
}

// envSeparator ends Env in a store key. Store keys are StateKey + NUL +
// tactic, so a key with an Env never equals one without.
const envSeparator = "\x00"

func (c *CachedProver) key(s search.State) (string, error) {
	if c.Env == "" {
		return StateKey(s), nil
	}
	if strings.Contains(c.Env, envSeparator) {
		return "", fmt.Errorf("proof cache: environment key %q contains NUL", c.Env)
	}
	return c.Env + envSeparator + StateKey(s), nil
}

// Apply implements search.Prover.
func (c *CachedProver) Apply(ctx context.Context, s search.State, tactic string) (search.Step, error) {
	key, err := c.key(s)
	if err != nil {
		return search.Step{}, err
	}
	if st, ok, err := c.Store.CacheGet(key, tactic); err != nil {
		return search.Step{}, fmt.Errorf("proof cache: %w", err)
	} else if ok {
		return st, nil
	}
	st, err := c.Prover.Apply(ctx, s, tactic)
	if err != nil || st.Outcome == search.OutcomeTimeout {
		return st, err
	}
	if err := c.Store.CachePut(key, tactic, st); err != nil {
		return search.Step{}, fmt.Errorf("proof cache: %w", err)
	}
	return st, nil
}

// ProvedTraces turns the proofs that runs found into traces: for every
// proved result with a recorded root, the proof is walked through the cache
// to recover the state before each tactic. These are the training data of
// expert iteration (prove policy train --from-db). Proofs whose steps are
// missing from the cache are skipped.
func (s *Store) ProvedTraces() ([]Theorem, error) {
	runs, err := s.Runs()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []Theorem
	for _, run := range runs {
		results, err := s.Results(run.ID)
		if err != nil {
			return nil, err
		}
		// In key order: this is training data, and a map's order would
		// make two trainings on one store differ.
		for _, key := range slices.Sorted(maps.Keys(results)) {
			r := results[key]
			if !r.Proved || r.Root == "" || len(r.Proof) == 0 || seen[key] {
				continue
			}
			th, ok, err := s.walkProof(key, r)
			if err != nil {
				return nil, err
			}
			if ok {
				seen[key] = true
				out = append(out, th)
			}
		}
	}
	return out, nil
}

func (s *Store) walkProof(key string, r Result) (Theorem, bool, error) {
	th := Theorem{FullName: r.Theorem}
	state := ParseState(r.Root)
	for i, tac := range r.Proof {
		st, ok, err := s.CacheGet(StateKey(state), tac)
		if err != nil || !ok {
			return Theorem{}, false, err
		}
		after := NoGoals
		switch st.Outcome {
		case search.OutcomeGoals:
			after = st.State.String()
		case search.OutcomeProved:
			if i != len(r.Proof)-1 {
				return Theorem{}, false, nil
			}
		default:
			return Theorem{}, false, nil
		}
		th.Steps = append(th.Steps, Step{Tactic: tac, StateBefore: state.String(), StateAfter: after})
		state = st.State
	}
	return th, true, nil
}

var _ search.Prover = (*CachedProver)(nil)

// ProofSteps replays proof from root through prover and returns the
// outcome of each step, ready for CachePutAll: what ProvedTraces needs to
// turn a stored proof back into training data. It stops at the first step
// that does not succeed.
func ProofSteps(ctx context.Context, prover search.Prover, root search.State, proof []string) ([]CacheEntry, error) {
	var out []CacheEntry
	state := root
	for _, tac := range proof {
		st, err := prover.Apply(ctx, state, tac)
		if err != nil {
			return nil, err
		}
		if st.Outcome != search.OutcomeGoals && st.Outcome != search.OutcomeProved {
			break
		}
		out = append(out, CacheEntry{StateKey: StateKey(state), Tactic: tac, Step: st})
		state = st.State
	}
	return out, nil
}
