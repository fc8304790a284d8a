package searchtest

import (
	"context"
	"math"
	"time"

	"github.com/leanprove/leanprove/search"
)

// A Policy proposes the World's tactics with priors that know the good
// tactic through noise: the good tactic's logit is Signal, every other
// tactic's is 0, and each gets Gaussian noise of standard deviation Noise
// (a pure function of Seed, the state and the tactic). Priors are the
// softmax of the logits, best first.
type Policy struct {
	World *World
	// Noise is the standard deviation of the logit noise: 0 ranks the good
	// tactic first every time; 2 or more makes the policy a weak guide.
	Noise float64
	// Signal is the good tactic's logit; default 2.
	Signal float64
	Seed   uint64
	// Latency is how long each Propose takes.
	Latency time.Duration
}

// Propose returns up to k candidates, best first.
func (p *Policy) Propose(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
	if p.Latency > 0 {
		t := time.NewTimer(p.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
	w := p.World
	pt, _ := parse(s)
	good := -1
	if pt.dist >= 0 {
		good = w.good(pt)
	}
	signal := p.Signal
	if signal == 0 {
		signal = 2
	}
	b := w.branching()
	cands := make([]search.Candidate, b)
	maxLogit := math.Inf(-1)
	for i := range b {
		logit := p.Noise * gauss(mix(p.Seed, pt.id, uint64(i)+0x1000))
		if i == good {
			logit += signal
		}
		cands[i] = search.Candidate{Tactic: Tactic(i), Prior: logit}
		maxLogit = max(maxLogit, logit)
	}
	sum := 0.0
	for i := range cands {
		cands[i].Prior = math.Exp(cands[i].Prior - maxLogit)
		sum += cands[i].Prior
	}
	for i := range cands {
		cands[i].Prior /= sum
	}
	// Insertion sort, best first: b is small, and it keeps the benchmark's
	// synthetic policy cheap next to the engine it measures.
	for i := 1; i < len(cands); i++ {
		for j := i; j > 0 && cands[j].Prior > cands[j-1].Prior; j-- {
			cands[j], cands[j-1] = cands[j-1], cands[j]
		}
	}
	if k < len(cands) {
		cands = cands[:k]
	}
	return cands, nil
}

// A ValuedPolicy is a Policy that also estimates values (search.Valuer):
// exp(-distance/Scale) plus Gaussian noise of deviation ValueNoise, clamped
// to [0, 1]; 0 for dead ends.
type ValuedPolicy struct {
	Policy
	ValueNoise float64
	// Scale is the distance at which the value falls to 1/e; default the
	// World's Depth.
	Scale float64
}

// Value estimates how close s is to a proof.
func (p *ValuedPolicy) Value(_ context.Context, s search.State) (float64, error) {
	pt, ok := parse(s)
	if !ok || pt.dist < 0 {
		return 0, nil
	}
	scale := p.Scale
	if scale == 0 {
		scale = float64(p.World.depth())
	}
	v := math.Exp(-float64(pt.dist)/scale) + p.ValueNoise*gauss(mix(p.Seed, pt.id, 0x7a1e))
	return min(max(v, 0), 1), nil
}

// gauss turns a hash into an approximately standard normal deviate: the
// sum of four uniform 16-bit parts (Irwin-Hall), centred and scaled. Its
// tails end at ±3.46, which is all a noisy synthetic policy needs.
func gauss(h uint64) float64 {
	sum := float64(h&0xffff) + float64(h>>16&0xffff) + float64(h>>32&0xffff) + float64(h>>48)
	return (sum/65536 - 2) * math.Sqrt(3)
}

var (
	_ search.Policy = (*Policy)(nil)
	_ search.Valuer = (*ValuedPolicy)(nil)
)
