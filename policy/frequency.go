package policy

import (
	"context"
	"sort"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

// Frequency is the baseline policy: the tactics most often seen in training,
// in the same order for every state, with their relative frequency as prior.
type Frequency struct {
	ranked []search.Candidate
}

// NewFrequency counts the normalized tactics of examples.
func NewFrequency(examples []Example) *Frequency {
	return &Frequency{ranked: rankByCount(examples)}
}

func rankByCount(examples []Example) []search.Candidate {
	counts := map[string]int{}
	for _, ex := range examples {
		counts[corpus.NormalizeTactic(ex.Tactic)]++
	}
	ranked := make([]search.Candidate, 0, len(counts))
	for t, c := range counts {
		ranked = append(ranked, search.Candidate{Tactic: t, Prior: float64(c) / float64(len(examples))})
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].Prior != ranked[j].Prior {
			return ranked[i].Prior > ranked[j].Prior
		}
		return ranked[i].Tactic < ranked[j].Tactic
	})
	return ranked
}

// Propose implements search.Policy; the state is ignored.
func (f *Frequency) Propose(ctx context.Context, _ search.State, k int) ([]search.Candidate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k = min(k, len(f.ranked))
	return append([]search.Candidate(nil), f.ranked[:k]...), nil
}

var _ search.Policy = (*Frequency)(nil)
