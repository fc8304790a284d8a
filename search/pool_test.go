package search_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leanprove/leanprove/search"
	"github.com/leanprove/leanprove/search/searchtest"
)

// gauge tracks how many calls are in progress and the most there were.
type gauge struct {
	mu       sync.Mutex
	cur, max int
}

func (g *gauge) enter() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cur++
	g.max = max(g.max, g.cur)
}

func (g *gauge) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cur--
}

// TestPoolLimits checks that prover and policy calls in flight stay within
// their separate limits, and that the prover limit is actually used.
func TestPoolLimits(t *testing.T) {
	tests := []struct {
		workers, policyWorkers, inFlight int
	}{
		{4, 1, 0},
		{4, 2, 8},
		{2, 4, 0},
		{8, 8, 0},
	}
	for _, tt := range tests {
		for _, mode := range modes {
			t.Run(fmt.Sprintf("%v/workers=%d/policy=%d/inflight=%d", mode, tt.workers, tt.policyWorkers, tt.inFlight), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					w := hopeless()
					w.Latency = 10 * time.Millisecond
					pol := &searchtest.Policy{World: w, Noise: 1, Latency: 3 * time.Millisecond}
					var provers, policies gauge
					prover := search.ProverFunc(func(ctx context.Context, s search.State, tac string) (search.Step, error) {
						provers.enter()
						defer provers.leave()
						return w.Apply(ctx, s, tac)
					})
					policy := search.PolicyFunc(func(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
						policies.enter()
						defer policies.leave()
						return pol.Propose(ctx, s, k)
					})
					r, err := search.Run(context.Background(), w.Root(0), prover, policy, search.Params{
						Mode: mode, Workers: tt.workers, PolicyWorkers: tt.policyWorkers, MaxInFlight: tt.inFlight, MaxProverCalls: 200,
					})
					if err != nil {
						t.Fatal(err)
					}
					if r.Stop != search.StopProverCalls {
						t.Fatalf("stop %v, want prover-calls", r.Stop)
					}
					if provers.max > tt.workers || policies.max > tt.policyWorkers {
						t.Errorf("in flight at most %d prover and %d policy calls; limits %d and %d",
							provers.max, policies.max, tt.workers, tt.policyWorkers)
					}
					if provers.max < tt.workers {
						t.Errorf("never more than %d prover calls in flight with %d workers", provers.max, tt.workers)
					}
				})
			})
		}
	}
}
