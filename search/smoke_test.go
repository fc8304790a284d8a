package search_test

import (
	"context"
	"testing"

	"github.com/leanprove/leanprove/search"
	"github.com/leanprove/leanprove/search/searchtest"
)

func TestSmoke(t *testing.T) {
	for _, mode := range []search.Mode{search.ModeMCTS, search.ModeBestFirst} {
		for _, workers := range []int{1, 4} {
			w := &searchtest.World{Seed: 3, Depth: 6, ErrorRate: 0.4, DeadEndRate: 0.1, TranspositionRate: 0.2}
			pol := &searchtest.Policy{World: w, Noise: 1}
			r, err := search.Run(context.Background(), w.Root(0), w, pol, search.Params{Mode: mode, Workers: workers, MaxProverCalls: 500})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%v w%d: proved=%v stop=%v proof=%v stats=%+v", mode, workers, r.Proved, r.Stop, r.Proof, r.Stats)
		}
	}
}
