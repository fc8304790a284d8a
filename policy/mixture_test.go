package policy_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
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

// TestMixtureDegradesToTheMembersThatAnswer: with the LLM down, a mixture
// gives what its other members would give alone, priors included; the
// failed member's weight does not dilute them.
func TestMixtureDegradesToTheMembersThatAnswer(t *testing.T) {
	down := search.PolicyFunc(func(context.Context, search.State, int) ([]search.Candidate, error) {
		return nil, errors.New("connection refused")
	})
	up := fixed(search.Candidate{Tactic: "rfl", Prior: 0.8}, search.Candidate{Tactic: "simp", Prior: 0.2})
	alone, err := (&policy.Mixture{Policies: []search.Policy{up}}).Propose(context.Background(), search.State{}, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, weights := range [][]float64{nil, {3, 1}} {
		m := &policy.Mixture{Policies: []search.Policy{down, up}, Weights: weights}
		got, err := m.Propose(context.Background(), search.State{}, 4)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(alone) {
			t.Fatalf("weights %v: %v, want %v", weights, got, alone)
		}
		for i := range alone {
			if got[i].Tactic != alone[i].Tactic || math.Abs(got[i].Prior-alone[i].Prior) > 1e-9 {
				t.Errorf("weights %v: candidate %d = %v, want %v as from the member alone", weights, i, got[i], alone[i])
			}
		}
	}
}

// TestMixtureWeightsAndPriors: weights must be one per member and not
// negative; priors out of [0, 1] or NaN do not spoil the mean.
func TestMixtureWeightsAndPriors(t *testing.T) {
	two := []search.Policy{fixed(search.Candidate{Tactic: "simp", Prior: 1}), fixed(search.Candidate{Tactic: "ring", Prior: 1})}
	for _, w := range [][]float64{{1}, {1, 2, 3}, {1, -1}, {0, 0}, {math.NaN(), 1}} {
		if _, err := (&policy.Mixture{Policies: two, Weights: w}).Propose(context.Background(), search.State{}, 4); !errors.Is(err, policy.ErrBadSpec) {
			t.Errorf("weights %v: err %v, want ErrBadSpec", w, err)
		}
	}
	m := &policy.Mixture{Policies: two, Weights: []float64{3, 1}}
	got, err := m.Propose(context.Background(), search.State{}, 4)
	if err != nil || len(got) != 2 || got[0].Tactic != "simp" || math.Abs(got[0].Prior-0.75) > 1e-9 || math.Abs(got[1].Prior-0.25) > 1e-9 {
		t.Errorf("weights 3:1: %v %v; want simp 0.75, ring 0.25", got, err)
	}
	odd := fixed(search.Candidate{Tactic: "simp", Prior: math.NaN()}, search.Candidate{Tactic: "ring", Prior: 7}, search.Candidate{Tactic: "omega", Prior: -1})
	got, err = (&policy.Mixture{Policies: []search.Policy{odd}}).Propose(context.Background(), search.State{}, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		if !(c.Prior >= 0 && c.Prior <= 1) {
			t.Errorf("prior of %s = %v, want within [0, 1]", c.Tactic, c.Prior)
		}
	}
}

// TestMixtureCancelled: a cancelled context ends the proposal with the
// context's error, whatever the members return.
func TestMixtureCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	waits := search.PolicyFunc(func(ctx context.Context, _ search.State, _ int) ([]search.Candidate, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	m := &policy.Mixture{Policies: []search.Policy{waits, fixed(search.Candidate{Tactic: "rfl", Prior: 1})}}
	if _, err := m.Propose(ctx, search.State{}, 4); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestMixtureNothingUsableIsAnAnswer: a member that answered with nothing
// usable (an LLM that only babbled: ErrNoCandidates) proposed no tactic; it
// did not fail. A mixture of it alone proposes nothing, which leaves the
// state dead, instead of an error that ends a search at its root (and prove
// bench with it).
func TestMixtureNothingUsableIsAnAnswer(t *testing.T) {
	babble := search.PolicyFunc(func(context.Context, search.State, int) ([]search.Candidate, error) {
		return nil, fmt.Errorf("%w (2 choices)", policy.ErrNoCandidates)
	})
	cands, err := (&policy.Mixture{Policies: []search.Policy{babble}}).Propose(context.Background(), search.State{}, 4)
	if err != nil || len(cands) != 0 {
		t.Errorf("alone: %v %v; want no candidates and no error", cands, err)
	}
	m := &policy.Mixture{Policies: []search.Policy{babble, fixed(search.Candidate{Tactic: "rfl", Prior: 1})}}
	cands, err = m.Propose(context.Background(), search.State{}, 4)
	if err != nil || len(cands) != 1 || cands[0].Prior != 0.5 {
		t.Errorf("with another: %v %v; want rfl at 0.5 (the babbling member answered, with nothing)", cands, err)
	}
}

// TestMixtureRankFusion: with FuseRank a member whose priors are large
// (ranks on the portfolio's scale) no longer crowds out one whose priors
// are small probabilities: each member's first candidates come first, a
// tactic both propose adds up, and equal scores go to the larger mean prior.
func TestMixtureRankFusion(t *testing.T) {
	loud := fixed(search.Candidate{Tactic: "simp", Prior: 0.9}, search.Candidate{Tactic: "omega", Prior: 0.8},
		search.Candidate{Tactic: "decide", Prior: 0.7}, search.Candidate{Tactic: "rfl", Prior: 0.6})
	quiet := fixed(search.Candidate{Tactic: "exact h", Prior: 0.05}, search.Candidate{Tactic: "rfl", Prior: 0.04},
		search.Candidate{Tactic: "ring", Prior: 0.01})
	tests := []struct {
		fusion policy.Fusion
		want   []string
	}{
		// The mean of priors: the loud member's whole list first.
		{policy.FuseMean, []string{"simp", "omega", "decide", "rfl", "exact h", "ring"}},
		// Ranks: simp and exact h tie at 1/2 and simp's prior is larger;
		// rfl (1/4 + 1/2, halved) beats omega (1/2, halved).
		{policy.FuseRank, []string{"simp", "exact h", "rfl", "omega", "decide", "ring"}},
	}
	for _, tt := range tests {
		for _, order := range [][]search.Policy{{loud, quiet}, {quiet, loud}} {
			m := &policy.Mixture{Policies: order, Fusion: tt.fusion}
			cands, err := m.Propose(context.Background(), search.State{Goals: []string{"⊢ True"}}, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, c := range cands {
				got = append(got, c.Tactic)
				if c.Prior < 0 || c.Prior > 1 || (i > 0 && c.Prior > cands[i-1].Prior) {
					t.Errorf("fusion %d: priors out of [0, 1] or order: %+v", tt.fusion, cands)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fusion %d: %q, want %q", tt.fusion, got, tt.want)
			}
		}
	}
}
