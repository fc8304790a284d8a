package policy

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

// Metrics are next-tactic accuracies over a set of examples: the share whose
// recorded tactic (after corpus.NormalizeTactic) is the first proposal, or
// among the first K.
type Metrics struct {
	N           int     `json:"n"`
	Top1        float64 `json:"top1"`
	TopK        float64 `json:"top10"`
	K           int     `json:"k"`
	MeanLatency float64 `json:"mean_latency_us"` // per Propose call, microseconds
	// RecallAt is the share whose recorded tactic is among the first c
	// proposals, for the cutoffs of RecallCutoffs up to K and for K: the
	// curve a search walks along, 16 candidates per expansion and twice as
	// many at each widening.
	RecallAt map[int]float64 `json:"recall_at"`
	// ByHead breaks the accuracies down by the recorded tactic's first
	// word (rw, simp, exact, …): where a policy's hits come from, and
	// where it misses.
	ByHead map[string]HeadMetrics `json:"-"`
}

// HeadMetrics are the accuracies on the examples whose recorded tactic
// starts with one word.
type HeadMetrics struct {
	N    int     `json:"n"`
	Top1 float64 `json:"top1"`
	TopK float64 `json:"top10"`
}

// RecallCutoffs are the ranks at which Metrics.RecallAt measures recall:
// top-1, top-5, top-10, and the candidates of a search's first expansion and
// of its widenings with the default 16 per expansion.
var RecallCutoffs = []int{1, 5, 10, 16, 32, 64, 128}

// Evaluate asks pol for k candidates on every example and scores them.
func Evaluate(ctx context.Context, pol search.Policy, examples []Example, k int) (Metrics, error) {
	m := Metrics{K: k, ByHead: map[string]HeadMetrics{}, RecallAt: map[int]float64{}}
	hit1, hitK := 0, 0
	var ranks []int // rank of each hit
	var spent time.Duration
	for i, ex := range examples {
		st := corpus.ParseState(ex.State)
		start := time.Now()
		cands, err := pol.Propose(ctx, st, k)
		spent += time.Since(start)
		if err != nil {
			return Metrics{}, fmt.Errorf("evaluate example %d: %w", i, err)
		}
		want := corpus.NormalizeTactic(ex.Tactic)
		headName := tacticHead(want)
		head := m.ByHead[headName]
		head.N++
		for r, c := range cands {
			if r >= k {
				break
			}
			if corpus.NormalizeTactic(c.Tactic) == want {
				ranks = append(ranks, r)
				hitK++
				head.TopK++
				if r == 0 {
					hit1++
					head.Top1++
				}
				break
			}
		}
		m.ByHead[headName] = head
		m.N++
	}
	if m.N > 0 {
		m.Top1 = float64(hit1) / float64(m.N)
		m.TopK = float64(hitK) / float64(m.N)
		m.MeanLatency = float64(spent.Microseconds()) / float64(m.N)
		for _, c := range append(slices.Clone(RecallCutoffs), k) {
			if c > k {
				continue
			}
			n := 0
			for _, r := range ranks {
				if r < c {
					n++
				}
			}
			m.RecallAt[c] = float64(n) / float64(m.N)
		}
	}
	for name, h := range m.ByHead { // counts so far: make them shares
		h.Top1 /= float64(h.N)
		h.TopK /= float64(h.N)
		m.ByHead[name] = h
	}
	return m, nil
}
