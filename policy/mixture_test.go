package policy_test

import (
	"context"
	"errors"
	"testing"

	"github.com/leanprove/leanprove/policy"
	"github.com/leanprove/leanprove/search"
)

func fixed(cands ...search.Candidate) search.Policy {
	return search.PolicyFunc(func(context.Context, search.State, int) ([]search.Candidate, error) {
		return cands, nil
	})
}

func TestMixtureMergesAndSanitizes(t *testing.T) {
	a := fixed(search.Candidate{Tactic: "simp", Prior: 0.6}, search.Candidate{Tactic: "sorry", Prior: 0.3}, search.Candidate{Tactic: "ring", Prior: 0.1})
	b := fixed(search.Candidate{Tactic: "  simp ", Prior: 0.2}, search.Candidate{Tactic: "omega", Prior: 0.5}, search.Candidate{Tactic: "exact h\ntheorem x : True := trivial", Prior: 0.9})
	m := &policy.Mixture{Policies: []search.Policy{a, b}}
	cands, err := m.Propose(context.Background(), search.State{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []search.Candidate{{Tactic: "simp", Prior: 0.4}, {Tactic: "omega", Prior: 0.25}, {Tactic: "ring", Prior: 0.05}}
	if len(cands) != len(want) {
		t.Fatalf("candidates %v, want %v", cands, want)
	}
	for i := range want {
		if cands[i].Tactic != want[i].Tactic || cands[i].Prior < want[i].Prior-1e-9 || cands[i].Prior > want[i].Prior+1e-9 {
			t.Errorf("candidate %d = %v, want %v", i, cands[i], want[i])
		}
	}
	top, _ := m.Propose(context.Background(), search.State{}, 1)
	if len(top) != 1 || top[0].Tactic != "simp" {
		t.Errorf("k=1: %v", top)
	}
}

func TestMixtureFailures(t *testing.T) {
	bad := search.PolicyFunc(func(context.Context, search.State, int) ([]search.Candidate, error) {
		return nil, errors.New("down")
	})
	m := &policy.Mixture{Policies: []search.Policy{bad, fixed(search.Candidate{Tactic: "rfl", Prior: 1})}}
	if cands, err := m.Propose(context.Background(), search.State{}, 4); err != nil || len(cands) != 1 {
		t.Errorf("one failing policy: %v %v", cands, err)
	}
	all := &policy.Mixture{Policies: []search.Policy{bad, bad}}
	if _, err := all.Propose(context.Background(), search.State{}, 4); err == nil {
		t.Error("all failing: no error")
	}
	if _, err := (&policy.Mixture{}).Propose(context.Background(), search.State{}, 4); !errors.Is(err, policy.ErrBadSpec) {
		t.Errorf("empty mixture: %v", err)
	}
}
