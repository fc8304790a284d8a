package policy

import (
	"context"
	"fmt"
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

// Evaluate asks pol for k candidates on every example and scores them.
func Evaluate(ctx context.Context, pol search.Policy, examples []Example, k int) (Metrics, error) {
	m := Metrics{K: k, ByHead: map[string]HeadMetrics{}}
	hit1, hitK := 0, 0
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
	}
	for name, h := range m.ByHead { // counts so far: make them shares
		h.Top1 /= float64(h.N)
		h.TopK /= float64(h.N)
		m.ByHead[name] = h
	}
	return m, nil
}
