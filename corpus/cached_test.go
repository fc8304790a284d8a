package corpus_test

import (
	"context"
	"testing"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

// TestCachedProverEnv: outcomes are reused only under the Env they were
// observed in, and timeouts are never reused.
func TestCachedProverEnv(t *testing.T) {
	s, _ := openStore(t)
	defer s.Close()
	ctx := context.Background()
	state := search.State{Goals: []string{"n : Nat\n⊢ n + 0 = n"}}
	calls := map[string]int{}
	prover := search.ProverFunc(func(ctx context.Context, st search.State, tac string) (search.Step, error) {
		calls[tac]++
		if tac == "slow" {
			return search.Step{Outcome: search.OutcomeTimeout}, nil
		}
		return search.Step{Outcome: search.OutcomeProved}, nil
	})
	apply := func(env, tac string) {
		t.Helper()
		cp := &corpus.CachedProver{Prover: prover, Store: s, Env: env}
		st, err := cp.Apply(ctx, state, tac)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]search.Outcome{true: search.OutcomeTimeout, false: search.OutcomeProved}[tac == "slow"]; st.Outcome != want {
			t.Fatalf("%s under %q: outcome %v, want %v", tac, env, st.Outcome, want)
		}
	}
	steps := []struct {
		env, tactic string
		wantCalls   int // the prover's calls for tactic so far
	}{
		{"env1:a", "simp", 1},
		{"env1:a", "simp", 1}, // same Env: a hit
		{"env1:b", "simp", 2}, // another Env: a miss
		{"", "simp", 3},       // no Env is an environment of its own
		{"env1:b", "simp", 3},
		{"", "simp", 3},
		{"env1:a", "slow", 1},
		{"env1:a", "slow", 2}, // timeouts are not cached
	}
	for i, st := range steps {
		apply(st.env, st.tactic)
		if calls[st.tactic] != st.wantCalls {
			t.Fatalf("step %d (%s under %q): %d prover calls, want %d", i, st.tactic, st.env, calls[st.tactic], st.wantCalls)
		}
	}
	cp := &corpus.CachedProver{Prover: prover, Store: s, Env: "bad\x00env"}
	if _, err := cp.Apply(ctx, state, "simp"); err == nil {
		t.Error("an Env with NUL was accepted")
	}
}
