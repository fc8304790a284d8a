package policy

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/sourcegraph/conc/pool"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/search"
)

// Mixture asks several policies at once and merges their proposals: a
// tactic proposed by several (after whitespace normalization) appears once,
// with the weighted mean of its priors (a policy that did not propose it
// counts zero). Every tactic passes leanrpc.SanitizeTactic first; refused
// ones are dropped. A Mixture of one policy is how a single policy gets
// sanitized. One failing policy does not fail the mixture; all failing does.
type Mixture struct {
	Policies []search.Policy
	// Weights, one per policy; nil means equal weights.
	Weights  []float64
	Sanitize leanrpc.SanitizeOptions
}

// Propose implements search.Policy.
func (m *Mixture) Propose(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
	if len(m.Policies) == 0 {
		return nil, fmt.Errorf("mixture: %w: no policies", ErrBadSpec)
	}
	results := make([][]search.Candidate, len(m.Policies))
	errs := make([]error, len(m.Policies))
	p := pool.New().WithMaxGoroutines(len(m.Policies))
	for i, pol := range m.Policies {
		p.Go(func() {
			results[i], errs[i] = pol.Propose(ctx, s, k)
		})
	}
	p.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	if failed == len(m.Policies) {
		return nil, fmt.Errorf("mixture: every policy failed: %w", errors.Join(errs...))
	}
	totalWeight := 0.0
	for i := range m.Policies {
		totalWeight += m.weight(i)
	}
	merged := map[string]float64{}
	var order []string // first appearance, to break ties stably
	for i, cands := range results {
		for _, c := range cands {
			tac, err := leanrpc.SanitizeTactic(c.Tactic, m.Sanitize)
			if err != nil {
				continue
			}
			tac = corpus.NormalizeTactic(tac)
			if _, seen := merged[tac]; !seen {
				order = append(order, tac)
			}
			merged[tac] += m.weight(i) * c.Prior / totalWeight
		}
	}
	out := make([]search.Candidate, 0, len(order))
	for _, t := range order {
		out = append(out, search.Candidate{Tactic: t, Prior: merged[t]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Prior > out[j].Prior })
	if len(out) > k {
		out = out[:k]
	}
	return out, nil
}

func (m *Mixture) weight(i int) float64 {
	if i < len(m.Weights) {
		return m.Weights[i]
	}
	return 1
}

var _ search.Policy = (*Mixture)(nil)
