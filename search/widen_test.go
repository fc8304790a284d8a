package search_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/leanprove/leanprove/search"
	"github.com/leanprove/leanprove/search/searchtest"
)

// failing returns n arcs whose tactics Lean rejects, named prefix1…prefixN.
func failing(prefix string, n int) []searchtest.Arc {
	out := make([]searchtest.Arc, n)
	for i := range out {
		out[i] = a(fmt.Sprintf("%s%d", prefix, i+1), "!error")
	}
	return out
}

// A node whose first candidates all fail asks the policy for twice as many
// and keeps the new ones (Params.Widenings), at the root and deeper; it stops
// asking when the policy runs out or the widenings are spent, and never
// applies a tactic twice.
func TestWideningAsksForMoreWhenEveryCandidateFails(t *testing.T) {
	tests := []struct {
		name        string
		arcs        map[string][]searchtest.Arc
		widenings   int
		proved      bool
		expansions  int // policy calls, re-expansions included
		widened     int // Stats.Widenings
		proverCalls int
	}{
		{
			// k=2 gives f1 f2, which fail; k=4 adds f3 and the proof.
			name:      "root proved by its second expansion",
			arcs:      map[string][]searchtest.Arc{"⊢ R": append(failing("f", 3), a("done", ""))},
			widenings: 0, proved: true, expansions: 2, widened: 1, proverCalls: 4,
		},
		{
			name:      "no widening: the root dies with its first two",
			arcs:      map[string][]searchtest.Arc{"⊢ R": append(failing("f", 3), a("done", ""))},
			widenings: -1, proved: false, expansions: 1, widened: 0, proverCalls: 2,
		},
		{
			// The second answer (3 of the 4 asked) is all the policy has.
			name:      "policy runs out",
			arcs:      map[string][]searchtest.Arc{"⊢ R": failing("f", 3)},
			widenings: 0, proved: false, expansions: 2, widened: 1, proverCalls: 3,
		},
		{
			// k = 2, 4, 8: one expansion and two widenings, 8 distinct tactics.
			name:      "widenings spent",
			arcs:      map[string][]searchtest.Arc{"⊢ R": append(failing("f", 40), a("done", ""))},
			widenings: 2, proved: false, expansions: 3, widened: 2, proverCalls: 8,
		},
		{
			// The root's one candidate leads to ⊢ A, whose first two fail.
			name: "a deeper node widens",
			arcs: map[string][]searchtest.Arc{
				"⊢ R": {a("go", "⊢ A")},
				"⊢ A": append(failing("x", 2), a("done", "")),
			},
			widenings: 0, proved: true, expansions: 3, widened: 1, proverCalls: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachSetting(t, func(t *testing.T, p search.Params) {
				g := &searchtest.Graph{Root: "⊢ R", Arcs: tt.arcs}
				p.CandidatesPerNode = 2
				p.Widenings = tt.widenings
				r := run(t, g, p)
				for state, arcs := range tt.arcs { // before replay, which applies again
					for _, arc := range arcs {
						if n := g.Calls(state, arc.Tactic); n > 1 {
							t.Errorf("%q applied %d times at %q", arc.Tactic, n, state)
						}
					}
				}
				if r.Proved != tt.proved {
					t.Fatalf("proved %v, want %v (stop %v)", r.Proved, tt.proved, r.Stop)
				}
				if r.Proved && !replay(t, g, r.Proof) {
					t.Errorf("proof %q does not replay", r.Proof)
				}
				if !r.Proved && r.Stop != search.StopExhausted {
					t.Errorf("stop %v, want exhausted", r.Stop)
				}
				widened := 0
				for _, n := range r.Tree().Nodes {
					widened += n.Widened
				}
				if widened != tt.widened {
					t.Errorf("tree export: %d widenings, want %d", widened, tt.widened)
				}
				if r.Stats.Expansions != tt.expansions || r.Stats.Widenings != tt.widened || r.Stats.ProverCalls != tt.proverCalls {
					t.Errorf("expansions %d, widenings %d, prover calls %d; want %d, %d, %d",
						r.Stats.Expansions, r.Stats.Widenings, r.Stats.ProverCalls, tt.expansions, tt.widened, tt.proverCalls)
				}
			})
		})
	}
}

// A widening is an expansion: it is refused when the expansion budget is
// spent, and the node dies then.
func TestWideningRespectsTheExpansionBudget(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{"⊢ R": append(failing("f", 3), a("done", ""))}}
		p.CandidatesPerNode = 2
		p.MaxExpansions = 1
		r := run(t, g, p)
		if r.Proved || r.Stats.Expansions != 1 || r.Stats.Widenings != 0 {
			t.Errorf("proved %v, expansions %d, widenings %d; want false, 1, 0", r.Proved, r.Stats.Expansions, r.Stats.Widenings)
		}
	})
}

// A node whose candidates lead only into a cycle and to failures cannot die
// by the local rule; the sweep that finds it can no longer reach work must
// widen it, as the local rule would, before giving it up. Here ⊢ R and ⊢ A
// lead to each other, the rest of their first two candidates fail, and ⊢ A's
// third candidate closes it.
func TestWideningReachesNodesInACycle(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{
			"⊢ R": {a("go", "⊢ A"), a("f1", "!error"), a("f2", "!error")},
			"⊢ A": {a("back", "⊢ R"), a("x1", "!error"), a("done", "")},
		}}
		p.CandidatesPerNode = 2
		r := run(t, g, p)
		if !r.Proved {
			t.Fatalf("not proved (stop %v, expansions %d, widenings %d)", r.Stop, r.Stats.Expansions, r.Stats.Widenings)
		}
		if !replay(t, g, r.Proof) {
			t.Errorf("proof %q does not replay", r.Proof)
		}
	})
}

// refusingPolicy is the graph's policy until it is asked for more than max
// candidates, which it refuses (as an LLM server refuses more samples than
// it allows).
type refusingPolicy struct {
	*searchtest.Graph
	max int
}

func (p refusingPolicy) Propose(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
	if k > p.max {
		return nil, fmt.Errorf("asked for %d candidates, at most %d", k, p.max)
	}
	return p.Graph.Propose(ctx, s, k)
}

// A policy that fails a widening of the root has already answered once: the
// search has run, and it ends exhausted with its Result, not with ErrPolicy
// as when the root's first expansion fails.
func TestWideningPolicyErrorAtTheRootIsNotFatal(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{"⊢ R": append(failing("f", 3), a("done", ""))}}
		p.CandidatesPerNode = 2
		r, err := search.Run(context.Background(), g.RootState(), g, refusingPolicy{g, 2}, p)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if r.Proved || r.Stop != search.StopExhausted || r.Stats.PolicyErrors != 1 || r.Stats.Expansions != 2 {
			t.Errorf("proved %v, stop %v, policy errors %d, expansions %d; want false, exhausted, 1, 2",
				r.Proved, r.Stop, r.Stats.PolicyErrors, r.Stats.Expansions)
		}
	})
}

// Widening keeps the search deterministic: the same seed gives the same
// Result and tree, with one worker and with four in order, in a world where
// k=2 leaves many nodes with every candidate failed.
func TestWideningDeterminism(t *testing.T) {
	for _, p := range []search.Params{
		{Mode: search.ModeMCTS},
		{Mode: search.ModeBestFirst},
		{Mode: search.ModeMCTS, Workers: 4, InOrder: true},
		{Mode: search.ModeBestFirst, Workers: 4, InOrder: true},
		{Mode: search.ModeMCTS, ClosingRollout: true, ClosingTactics: []string{"tac0", "tac1"}},
	} {
		t.Run(fmt.Sprintf("%v/workers=%d/rollout=%v", p.Mode, p.Workers, p.ClosingRollout), func(t *testing.T) {
			once := func() (*search.Result, string) {
				w := &searchtest.World{Seed: 5, Depth: 10, ErrorRate: 0.6, DeadEndRate: 0.2, TranspositionRate: 0.3, PoolSize: 3}
				p := p
				p.Seed, p.MaxProverCalls, p.CandidatesPerNode = 42, 200, 2
				r, err := search.Run(context.Background(), w.Root(7), jittery{w}, &searchtest.Policy{World: w, Noise: 1.5, Seed: 3}, p)
				if err != nil {
					t.Fatal(err)
				}
				r.Stats.Elapsed = 0
				return r, export(t, r)
			}
			r1, e1 := once()
			r2, e2 := once()
			if r1.Stats.Widenings == 0 {
				t.Fatalf("no widening in %+v: the test shows nothing", r1.Stats)
			}
			if !reflect.DeepEqual(r1.Proof, r2.Proof) || r1.Stats != r2.Stats || r1.Stop != r2.Stop {
				t.Errorf("results differ:\n%+v\n%+v", r1, r2)
			}
			if e1 != e2 {
				t.Errorf("tree exports differ (%d and %d bytes)", len(e1), len(e2))
			}
		})
	}
}

// countingPolicy counts the policy calls that ask for more than k, which
// are the widenings.
type countingPolicy struct {
	*searchtest.Graph
	k     int
	mu    sync.Mutex
	wider int
}

func (p *countingPolicy) Propose(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
	if k > p.k {
		p.mu.Lock()
		p.wider++
		p.mu.Unlock()
	}
	return p.Graph.Propose(ctx, s, k)
}

// Stats.Widenings and the tree count the widenings that asked the policy,
// as Expansions counts expansions: a node reopened when the proof or the
// end of the budget came before its expansion started is not counted.
func TestWideningCountsThePolicyCalls(t *testing.T) {
	for budget := 1; budget <= 8; budget++ {
		t.Run(fmt.Sprintf("expansions=%d", budget), func(t *testing.T) {
			forEachSetting(t, func(t *testing.T, p search.Params) {
				g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{
					"⊢ R": {a("a", "⊢ A"), a("b", "⊢ B"), a("f", "!error")},
					"⊢ A": append(failing("x", 6), a("done", "")),
					"⊢ B": append(failing("y", 6), a("done", "")),
				}}
				p.CandidatesPerNode, p.MaxExpansions = 2, budget
				policy := &countingPolicy{Graph: g, k: 2}
				r, err := search.Run(context.Background(), g.RootState(), g, policy, p)
				if err != nil {
					t.Fatal(err)
				}
				widened := 0
				for _, n := range r.Tree().Nodes {
					widened += n.Widened
				}
				if r.Stats.Widenings != policy.wider || widened != policy.wider {
					t.Errorf("Stats.Widenings %d, tree %d, policy asked for more %d times (stop %v)",
						r.Stats.Widenings, widened, policy.wider, r.Stop)
				}
			})
		})
	}
}
