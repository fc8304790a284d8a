package policy

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/leanprove/leanprove/corpus"

	"github.com/leanprove/leanprove/search"
)

// Ranking: every candidate tactic for a state (a neighbour's tactic
// re-filled, its alternative fill, a generated lemma fill, or a globally
// frequent tactic) is described by a few evidence features, and ranked by a
// linear score whose weights are fitted on held-out theorems (a softmax over
// each state's candidates, as a listwise learning-to-rank). Without fitted
// weights the score is the hand-made mixture: the share of the neighbour
// vote plus FrequencyWeight times the global frequency.

// candidate is one tactic proposed for a state with its evidence.
type candidate struct {
	tactic string
	vote   float64 // neighbour votes for the tactic as filled
	alt    float64 // votes through second-best hypothesis fills
	lemma  float64 // votes through lemma fills
	freq   float64 // prior of a globally most frequent tactic, else 0
	count  int     // how often the tactic occurs verbatim in the memory
	maxSim float64 // similarity of the closest neighbour voting for it
	voters int
	shape  float64 // recorded tactics sharing its shape (most of its sources)
	// For a frequent one-hypothesis shape filled with a recent hypothesis
	// (hypshape.go): that hypothesis's recency and type affinity.
	recency, affinity float64
	gen               generator // the structural generator that made it, if any
	// shapeKey is the tactic's abstract shape for this state (see
	// template.abstractText), when its source knows it; else features
	// computes it.
	shapeKey string
	// For a frequent one-constant shape filled with a constant of the
	// target: 1 for the first constant, 1/2 for the second, …
	constPos float64
	// kindFit is the share of the shape's recorded uses whose local was of
	// the kind (proof or variable) it is filled with here.
	kindFit float64
	// rewrites is 1 when the candidate fills a hypothesis that is an
	// equation whose side the shape rewrites from occurs in the target.
	rewrites float64
}

// minKindShare is the least share of a shape's recorded uses on locals of
// one kind (proofs or variables) for the shape to be filled with a local of
// that kind.
const minKindShare = 0.1

// constFills is how many of the target's constants fill one-constant shapes.
const constFills = 3

// rankFeatures is the length of the feature vector of a candidate.
const rankFeatures = 25

// queryShape is what features needs of the query state besides the
// candidate: its shape tokens and what a template is filled against.
type queryShape struct {
	tokens    []int32 // goal shape tokens, as shapeStats ids
	templater *templater
	// headFit memoizes the naive Bayes score of the query's tokens per
	// tactic name: a query's 250 candidates share a few dozen names.
	headFit map[string]float64
}

// fitHead returns stats' score of the tactic name head against the query's
// tokens, computed once per name.
func (q *queryShape) fitHead(stats *shapeStats, head string) float64 {
	if v, ok := q.headFit[head]; ok {
		return v
	}
	v, _ := stats.score(head, q.tokens)
	q.headFit[head] = v
	return v
}

// features writes c's feature vector given the total neighbour weight, the
// share of the vote for c's tactic name, and the frequency mixing weight.
func (l *Learned) features(c *candidate, q *queryShape, total, headShare, headCount, fw float64, x *[rankFeatures]float64) {
	var vote, alt, lemma float64
	if total > 0 {
		vote, alt, lemma = c.vote/total, c.alt/total, c.lemma/total
	}
	inTop := 0.0
	if c.freq > 0 {
		inTop = 1
	}
	const eps = 1e-4
	shape := c.shapeKey
	if shape == "" {
		shape = c.tactic
		if q.templater != nil {
			shape = q.templater.template(c.tactic).abstractText()
		}
	}
	headFit := q.fitHead(l.headStats, tacticHead(c.tactic))
	shapeFit, _ := l.shapeStats.score(shape, q.tokens)
	var gen [genCount]float64
	gen[c.gen] = 1
	*x = [rankFeatures]float64{
		math.Log(eps + vote),
		math.Log(eps + alt),
		math.Log(eps + lemma),
		math.Log1p(float64(c.count)),
		math.Log(eps + headShare),
		c.maxSim,
		math.Log1p(float64(c.voters)),
		inTop,
		math.Log1p(c.shape),
		c.recency,
		c.affinity,
		math.Log(float64(len(c.tactic) + 1)),
		math.Log1p(headCount),
		headFit,
		shapeFit,
		math.Log1p(float64(l.shapeCounts[shape])),
		gen[genIntro],
		gen[genDestruct],
		gen[genNontrivial],
		gen[genIfSplit],
		gen[genCloser],
		c.constPos,
		c.kindFit,
		c.rewrites,
		math.Log(eps + vote + alt + lemma + fw*c.freq), // the hand-made mixture, last
	}
}

// candidates gathers every candidate for s with its features.
func (l *Learned) candidates(s search.State) ([]candidate, [][rankFeatures]float64) {
	// A query has about 250 candidates (the most seen is under 350):
	// room for them up front spares a dozen copies of a growing slice.
	const expected = 320
	byTactic := make(map[string]int, expected)
	cands := make([]candidate, 0, expected)
	// get returns the candidate for tactic t, adding it if new. The pointer
	// is valid until the next call (cands may grow).
	get := func(t string) *candidate {
		i, ok := byTactic[t]
		if !ok {
			i = len(cands)
			byTactic[t] = i
			cands = append(cands, candidate{tactic: t, count: l.counts[t]})
		}
		return &cands[i]
	}
	var g goal
	var matcher *hypMatcher
	if len(s.Goals) > 0 {
		g = parseGoal(s.Goals[0])
		matcher = newHypMatcher(g)
	}
	nbs := l.neighbors(s, matcher)
	weights := make([]float64, len(nbs))
	total := 0.0
	altWeight := max(l.params.AltWeight, 0)
	heads := map[string]float64{}
	for i, nb := range nbs {
		w := math.Pow(float64(nb.sim), l.params.Sharpen) * math.Pow(nb.generality, max(l.params.GeneralityBoost, 0))
		if nb.fit < l.params.FitFloor {
			w *= max(l.params.FitPenalty, 0)
		}
		weights[i] = w
		total += w
		heads[tacticHead(nb.tactic)] += w
		c := get(nb.tactic)
		c.shapeKey = cmp.Or(c.shapeKey, nb.shapeKey) // the closest source names it
		c.vote += w
		c.voters++
		c.maxSim = max(c.maxSim, float64(nb.sim))
		c.shape = max(c.shape, nb.generality)
		if nb.alt != "" && nb.fit > 0 {
			a := get(nb.alt)
			a.shapeKey = cmp.Or(a.shapeKey, nb.shapeKey)
			a.alt += w * altWeight * min(nb.altFit/nb.fit, 1)
			a.maxSim = max(a.maxSim, float64(nb.sim))
		}
	}
	if total > 0 && l.params.LemmaWeight > 0 {
		fills := l.lemmaFills(nbs, weights, total)
		// In order: candidates' order decides how float sums round, and a
		// policy must score alike on every run.
		for _, t := range slices.Sorted(maps.Keys(fills)) {
			get(t).lemma += fills[t]
		}
	}
	for _, f := range l.freq {
		get(f.Tactic).freq = f.Prior
	}
	if len(s.Goals) > 0 && len(l.hypShapes) > 0 {
		for _, h := range recentHyps(g, l.params.RecentHyps) {
			for _, sh := range l.hypShapes {
				if h.variable && sh.varShare < minKindShare || !h.variable && 1-sh.varShare < minKindShare {
					continue // a shape never used on locals of this kind
				}
				c := get(strings.ReplaceAll(sh.text, "□", h.name))
				c.shapeKey = cmp.Or(c.shapeKey, sh.text)
				c.shape = max(c.shape, float64(sh.count))
				c.recency = max(c.recency, h.recency)
				c.affinity = max(c.affinity, h.affinity)
				kind := sh.varShare
				if !h.variable {
					kind = 1 - kind
				}
				c.kindFit = max(c.kindFit, kind)
				backwards := strings.Contains(sh.text, "← □")
				if backwards && h.rhsIn || !backwards && h.lhsIn {
					c.rewrites = 1
				}
			}
		}
	}
	q := &queryShape{headFit: make(map[string]float64, 64)}
	if len(s.Goals) > 0 {
		for _, st := range structuralCandidates(g) {
			get(st.text).gen = st.gen
		}
		binders, consts := matcher.binders, matcher.consts
		q.tokens = l.headStats.tokenIDs(goalShape(g, len(s.Goals)))
		q.templater = newTemplater(g.Hyps, binders, consts)
		for i, c := range consts[:min(len(consts), constFills)] {
			for _, sh := range l.constShapes {
				cand := get(strings.ReplaceAll(sh.text, "◈", c))
				cand.shapeKey = cmp.Or(cand.shapeKey, strings.ReplaceAll(sh.text, "◈", constMark(i)))
				cand.shape = max(cand.shape, float64(sh.count))
				cand.constPos = max(cand.constPos, 1/float64(1+i))
			}
		}
	}
	fw := max(l.params.FrequencyWeight, 0)
	if total == 0 {
		fw = 1
	}
	xs := make([][rankFeatures]float64, len(cands))
	for i := range cands {
		head := tacticHead(cands[i].tactic)
		h := 0.0
		if total > 0 {
			h = heads[head] / total
		}
		l.features(&cands[i], q, total, h, float64(l.headCounts[head]), fw, &xs[i])
	}
	return cands, xs
}

type scoredTactic struct {
	tactic string
	share  float64 // of the total score, in [0, 1]
}

// score ranks every candidate tactic for s; share is the softmax of the
// fitted linear score (or, without fitted weights, the normalized mixture).
func (l *Learned) score(s search.State) []scoredTactic {
	cands, xs := l.candidates(s)
	out := make([]scoredTactic, len(cands))
	if len(l.ranker) == rankFeatures {
		maxZ := math.Inf(-1)
		for i := range cands {
			z := 0.0
			for j, w := range l.ranker {
				z += w * xs[i][j]
			}
			out[i] = scoredTactic{cands[i].tactic, z}
			maxZ = max(maxZ, z)
		}
		sum := 0.0
		for i := range out {
			out[i].share = math.Exp(out[i].share - maxZ)
			sum += out[i].share
		}
		for i := range out {
			out[i].share /= sum
		}
	} else {
		sum := 0.0
		for i := range cands {
			v := math.Exp(xs[i][rankFeatures-1])
			out[i] = scoredTactic{cands[i].tactic, v}
			sum += v
		}
		for i := range out {
			out[i].share /= sum
		}
	}
	slices.SortFunc(out, func(a, b scoredTactic) int {
		if c := cmp.Compare(b.share, a.share); c != 0 {
			return c
		}
		return strings.Compare(a.tactic, b.tactic)
	})
	return out
}

// rankGroup is one held-out state's candidates' features and which of them
// is the recorded tactic.
type rankGroup struct {
	xs     [][rankFeatures]float64
	target int
}

// rankGroups scores held-out examples with l (whose memory must not hold
// them). Examples whose tactic is no candidate carry no ranking signal and
// are left out.
func rankGroups(l *Learned, held []Example) []rankGroup {
	var groups []rankGroup
	for _, ex := range held {
		st := corpus.ParseState(ex.State)
		want := corpus.NormalizeTactic(ex.Tactic)
		cands, xs := l.candidates(st)
		for i, c := range cands {
			if c.tactic == want {
				groups = append(groups, rankGroup{xs, i})
				break
			}
		}
	}
	return groups
}

// fitRanker fits the ranking weights: gradient descent (Adam) on the mean
// softmax cross-entropy of the recorded tactic among each state's
// candidates, with a little L2, starting from the hand-made mixture.
// Features are standardized while fitting and the scale folded back into
// the weights. Returns nil (the hand-made mixture) when fewer than 20
// groups are given.
func fitRanker(groups []rankGroup) []float64 {
	if len(groups) < 20 {
		return nil
	}
	var mean, sq [rankFeatures]float64
	n := 0.0
	for _, g := range groups {
		for _, x := range g.xs {
			for j := range x {
				mean[j] += x[j]
				sq[j] += x[j] * x[j]
			}
			n++
		}
	}
	var scale [rankFeatures]float64
	for j := range mean {
		mean[j] /= n
		v := sq[j]/n - mean[j]*mean[j]
		scale[j] = 1 / math.Sqrt(max(v, 1e-9))
	}
	std := make([][][rankFeatures]float64, len(groups))
	for gi, g := range groups {
		std[gi] = make([][rankFeatures]float64, len(g.xs))
		for i, x := range g.xs {
			for j := range x {
				std[gi][i][j] = (x[j] - mean[j]) * scale[j]
			}
		}
	}
	var w, m1, m2 [rankFeatures]float64
	w[rankFeatures-1] = 1 / scale[rankFeatures-1] // start from the mixture
	const (
		steps = 200
		lr    = 0.05
		l2    = 1e-3
		b1    = 0.9
		b2    = 0.999
	)
	z := []float64{}
	for step := 1; step <= steps; step++ {
		var grad [rankFeatures]float64
		for gi, g := range groups {
			z = z[:0]
			maxZ := math.Inf(-1)
			for _, x := range std[gi] {
				v := 0.0
				for j := range x {
					v += w[j] * x[j]
				}
				z = append(z, v)
				maxZ = max(maxZ, v)
			}
			sum := 0.0
			for i := range z {
				z[i] = math.Exp(z[i] - maxZ)
				sum += z[i]
			}
			for i, x := range std[gi] {
				p := z[i] / sum
				if i == g.target {
					p--
				}
				for j := range x {
					grad[j] += p * x[j]
				}
			}
		}
		for j := range w {
			gj := grad[j]/float64(len(groups)) + l2*w[j]
			m1[j] = b1*m1[j] + (1-b1)*gj
			m2[j] = b2*m2[j] + (1-b2)*gj*gj
			mh := m1[j] / (1 - math.Pow(b1, float64(step)))
			vh := m2[j] / (1 - math.Pow(b2, float64(step)))
			w[j] -= lr * mh / (math.Sqrt(vh) + 1e-8)
		}
	}
	out := make([]float64, rankFeatures)
	for j := range w {
		out[j] = w[j] * scale[j] // the mean shift is the same for every candidate
	}
	return out
}
