package policy

import (
	"github.com/leanprove/leanprove/corpus"
)

// calibrationBins is the resolution of the vote-share → probability map.
const calibrationBins = 20

// calibration maps a candidate's share of the vote to the probability that
// it is the recorded tactic, measured on held-out examples: histogram
// binning made monotone by pooling adjacent violators (isotonic regression).
// An empty calibration returns the share itself.
type calibration struct {
	Prob []float64 `json:"prob,omitempty"` // per bin of share
}

func (c calibration) prior(share float64) float64 {
	if len(c.Prob) == 0 {
		return share
	}
	b := int(share * float64(len(c.Prob)))
	b = max(0, min(b, len(c.Prob)-1))
	return c.Prob[b]
}

// fitCalibration scores the held-out examples with l and fits the map from
// vote share to hit rate over their top candidates.
func fitCalibration(l *Learned, held []Example) calibration {
	hits := make([]float64, calibrationBins)
	seen := make([]float64, calibrationBins)
	for _, ex := range held {
		want := corpus.NormalizeTactic(ex.Tactic)
		scored := l.score(corpus.ParseState(ex.State))
		for i, c := range scored {
			if i >= 32 {
				break
			}
			b := min(int(c.share*calibrationBins), calibrationBins-1)
			seen[b]++
			if c.tactic == want {
				hits[b]++
			}
		}
	}
	// Laplace-smoothed rates, then pool adjacent violators so the prior
	// never falls as the share rises.
	type block struct {
		hits, seen float64
		n          int
	}
	var blocks []block
	for b := range calibrationBins {
		blocks = append(blocks, block{hits[b] + 0.5*float64(b+1)/calibrationBins, seen[b] + 1, 1})
		for len(blocks) > 1 {
			x, y := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if x.hits/x.seen <= y.hits/y.seen {
				break
			}
			blocks = append(blocks[:len(blocks)-2], block{x.hits + y.hits, x.seen + y.seen, x.n + y.n})
		}
	}
	prob := make([]float64, 0, calibrationBins)
	for _, bl := range blocks {
		for range bl.n {
			prob = append(prob, bl.hits/bl.seen)
		}
	}
	return calibration{Prob: prob}
}
