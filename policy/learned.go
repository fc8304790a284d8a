package policy

import (
	"context"
	"hash/fnv"
	"maps"
	"math"
	"slices"
	"sync"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

// LearnedParams tune the learned policy. The zero value of a field means
// its default (see withDefaults); the defaults were chosen on a split of the
// training data, never on the development split.
type LearnedParams struct {
	// Neighbors is how many most similar recorded states vote.
	Neighbors int `json:"neighbors"`
	// Sharpen is the exponent applied to a neighbour's cosine similarity
	// before it votes: higher trusts the closest states more.
	Sharpen float64 `json:"sharpen"`
	// FrequencyWeight mixes in the global tactic frequencies, so that common
	// closing tactics are offered even when no neighbour used them.
	FrequencyWeight float64 `json:"frequency_weight"`
	// FrequencyTop is how many of the most frequent tactics are mixed in.
	FrequencyTop int `json:"frequency_top"`
	// GeneralityBoost raises a neighbour's vote by the number of training
	// tactics sharing its template to this power: a shape used across many
	// proofs ("ext x", "cases □") transfers to a new state more often than
	// a rewrite with one proof's lemmas.
	GeneralityBoost float64 `json:"generality_boost"`
	// FitFloor and FitPenalty: a neighbour whose hypothesis slots the new
	// state fills poorly (match score below FitFloor) votes with its weight
	// times FitPenalty.
	FitFloor   float64 `json:"fit_floor"`
	FitPenalty float64 `json:"fit_penalty"`
	// AltWeight is the share of a neighbour's vote given to its tactic
	// filled with the second best matching hypothesis (see template.fill).
	AltWeight float64 `json:"alt_weight"`
	// LemmaWeight scales the votes for generated tactics: a neighbour's
	// tactic shape with its one cited lemma replaced by a lemma the
	// neighbours cite most (see generate.go).
	LemmaWeight float64 `json:"lemma_weight"`
	// LemmaShapes and LemmaNames are how many shapes and lemmas are
	// combined.
	LemmaShapes int `json:"lemma_shapes"`
	LemmaNames  int `json:"lemma_names"`
	// HypShapes is how many frequent one-hypothesis shapes are offered
	// filled with each of the query's RecentHyps last hypotheses
	// (hypshape.go); negative: none.
	HypShapes  int `json:"hyp_shapes"`
	RecentHyps int `json:"recent_hyps"`
	// NoRanker keeps the hand-made mixture instead of fitting ranking
	// weights (rank.go).
	NoRanker bool `json:"no_ranker,omitempty"`
}

func (p LearnedParams) withDefaults() LearnedParams {
	if p.Neighbors <= 0 {
		p.Neighbors = 32
	}
	if p.Sharpen <= 0 {
		p.Sharpen = 3
	}
	// Zero means the default; a negative weight, boost, floor or penalty
	// means none (it is kept, so a saved model reloads with the same
	// meaning).
	if p.FrequencyWeight == 0 {
		p.FrequencyWeight = 0.5
	}
	if p.GeneralityBoost == 0 {
		p.GeneralityBoost = 0.5
	}
	if p.FitFloor == 0 {
		p.FitFloor = 0.3
	}
	if p.FitPenalty == 0 {
		p.FitPenalty = 0.2
	}
	if p.AltWeight == 0 {
		p.AltWeight = 0.3
	}
	if p.LemmaWeight == 0 {
		p.LemmaWeight = 0.3
	}
	if p.LemmaShapes <= 0 {
		p.LemmaShapes = 6
	}
	if p.LemmaNames <= 0 {
		p.LemmaNames = 8
	}
	if p.HypShapes == 0 {
		p.HypShapes = 24
	}
	if p.RecentHyps <= 0 {
		p.RecentHyps = 4
	}
	if p.FrequencyTop <= 0 {
		p.FrequencyTop = 40
	}
	return p
}

// Learned is the nearest-neighbour tactic policy (after TacticToe and
// Tactician). Every training state is a bag of goal features weighted by
// TF-IDF; a query state's most similar training states (cosine similarity,
// through an inverted index) vote for their tactics, rewritten as templates
// whose hypothesis arguments are re-filled from the query's own hypotheses.
// Votes are mixed with global tactic frequencies, and each candidate's share
// of the vote is mapped to a calibrated probability (see calibration).
//
// A Learned is immutable after Train or Load and safe for concurrent use.
type Learned struct {
	params   LearnedParams
	examples []Example // the memory, as given (saved to the model file)

	featureID map[string]int32
	idf       []float32
	postings  [][]posting // feature → examples containing it
	norms     []float32   // TF-IDF vector norm per example

	recorded    []recordedState
	freq        []search.Candidate // most frequent tactics
	counts      map[string]int     // normalized tactic → occurrences
	headCounts  map[string]int     // tactic name → occurrences
	ranker      []float64          // fitted ranking weights (rank.go), or nil
	hypShapes   []hypShape         // frequent one-hypothesis shapes (hypshape.go)
	constShapes []hypShape         // frequent one-constant shapes, ◈ for the constant
	// shapeCounts counts recorded tactics by abstract shape; headStats and
	// shapeStats relate tactic names and shapes to goal shapes (goalshape.go).
	shapeCounts map[string]int
	headStats   *shapeStats
	shapeStats  *shapeStats
	calib       calibration

	scratch sync.Pool // *[]float32 of len(examples)
}

type posting struct {
	Example int32
	Weight  float32
}

// recordedState is what the policy keeps of one training example besides
// its features: the tactic template and the hypotheses it refers to.
type recordedState struct {
	tmpl       template
	shapeKey   string  // tmpl.abstractText()
	generality float64 // how many training tactics share tmpl's abstract text
	hyps       []hypothesis
	hypToks    [][]uint32
	lemma      lemmaUse
}

// rankFolds is how many parts the training theorems are cut into to fit
// the ranking weights: each part is scored by a policy built on the others.
const rankFolds = 5

// Train builds a learned policy from examples. Its ranking weights are fitted
// by cross-fitting: the theorems (by name when examples carry one, else by
// state text) are cut into rankFolds parts, and each part is scored by a
// policy built on the other parts. The calibration of the priors is fitted
// on the first part. The index is then rebuilt on all examples.
func Train(examples []Example, p LearnedParams) *Learned {
	p = p.withDefaults()
	folds := make([][]Example, rankFolds)
	for _, ex := range examples {
		key := ex.Theorem
		if key == "" {
			key = ex.State
		}
		// Salted: corpus.Split uses the plain name hash, whose residues
		// would line up with a dev split's.
		h := fnv.New64a()
		h.Write([]byte(key + "#fold"))
		f := int(h.Sum64() % rankFolds)
		folds[f] = append(folds[f], ex)
	}
	var groups []rankGroup
	var first *Learned
	for f, held := range folds {
		var rest []Example
		for g, part := range folds {
			if g != f {
				rest = append(rest, part...)
			}
		}
		if len(held) == 0 || len(rest) == 0 {
			continue
		}
		inner := build(rest, p, nil, calibration{})
		if first == nil {
			first = inner
		}
		if p.NoRanker {
			break
		}
		groups = append(groups, rankGroups(inner, held)...)
	}
	if first == nil {
		return build(examples, p, nil, calibration{})
	}
	ranker := fitRanker(groups)
	first.ranker = ranker
	cal := fitCalibration(first, folds[0])
	return build(examples, p, ranker, cal)
}

// build indexes examples without calibrating.
func build(examples []Example, p LearnedParams, ranker []float64, cal calibration) *Learned {
	l := &Learned{params: p, examples: examples, featureID: map[string]int32{}, calib: cal, ranker: ranker}
	counts := make([]map[int32]int, len(examples))
	df := []int{}
	vocab := &shapeVocab{ids: map[string]int32{}}
	l.headStats, l.shapeStats = newShapeStats(vocab), newShapeStats(vocab)
	goalShapes := make([][]string, len(examples))
	for i, ex := range examples {
		st := corpus.ParseState(ex.State)
		c := map[int32]int{}
		featureCounts(st.Goals, func(f string) {
			id, ok := l.featureID[f]
			if !ok {
				id = int32(len(df))
				l.featureID[f] = id
				df = append(df, 0)
			}
			if c[id] == 0 {
				df[id]++
			}
			c[id]++
		})
		counts[i] = c
		var g goal
		if len(st.Goals) > 0 {
			g = parseGoal(st.Goals[0])
		}
		hyps := g.Hyps
		toks := hypTypeTokens(hyps)
		binders := targetBinders(g.Target)
		tmpl := makeTemplate(corpus.NormalizeTactic(ex.Tactic), hyps, binders, targetConsts(g, binders))
		goalShapes[i] = goalShape(g, len(st.Goals))
		l.recorded = append(l.recorded, recordedState{
			tmpl: tmpl, hyps: hyps, hypToks: toks, lemma: findLemmas(tmpl)})
	}
	shapes := map[string]int{}
	for i := range l.recorded {
		r := &l.recorded[i]
		shape := r.tmpl.abstractText()
		r.shapeKey = shape
		shapes[shape]++
		l.headStats.add(tacticHead(r.tmpl.Text), goalShapes[i])
		l.shapeStats.add(shape, goalShapes[i])
	}
	l.headStats.finish()
	l.shapeStats.finish()
	l.shapeCounts = shapes
	for i := range l.recorded {
		l.recorded[i].generality = float64(shapes[l.recorded[i].shapeKey])
	}
	if p.HypShapes > 0 {
		l.hypShapes = frequentHypShapes(l.recorded, p.HypShapes)
		l.constShapes = frequentConstShapes(l.recorded, p.HypShapes)
	}
	n := float64(len(examples))
	l.idf = make([]float32, len(df))
	for id, d := range df {
		l.idf[id] = float32(math.Log((n + 1) / float64(d)))
	}
	l.postings = make([][]posting, len(df))
	l.norms = make([]float32, len(examples))
	for i, c := range counts {
		// Features in id order: the norm is a float sum, and map order
		// would round it differently from run to run.
		var norm float64
		for _, id := range slices.Sorted(maps.Keys(c)) {
			cnt := c[id]
			w := float32(1+math.Log(float64(cnt))) * l.idf[id]
			l.postings[id] = append(l.postings[id], posting{Example: int32(i), Weight: w})
			norm += float64(w) * float64(w)
		}
		l.norms[i] = float32(math.Sqrt(norm))
	}
	l.counts = make(map[string]int, len(examples))
	l.headCounts = map[string]int{}
	for _, ex := range examples {
		t := corpus.NormalizeTactic(ex.Tactic)
		l.counts[t]++
		l.headCounts[tacticHead(t)]++
	}
	l.freq = rankByCount(examples)
	if len(l.freq) > p.FrequencyTop {
		l.freq = l.freq[:p.FrequencyTop]
	}
	size := len(examples)
	l.scratch.New = func() any { s := make([]float32, size); return &s }
	return l
}

// Params returns the parameters the policy was trained with.
func (l *Learned) Params() LearnedParams { return l.params }

// Size is the number of recorded states.
func (l *Learned) Size() int { return len(l.examples) }

// Propose implements search.Policy.
func (l *Learned) Propose(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	scored := l.score(s)
	if len(scored) > k {
		scored = scored[:k]
	}
	out := make([]search.Candidate, len(scored))
	for i, c := range scored {
		out[i] = search.Candidate{Tactic: c.tactic, Prior: l.calib.prior(c.share)}
	}
	return out, nil
}

type neighbor struct {
	sim        float32
	generality float64
	fit        float64
	tactic     string // the recorded tactic, re-filled for the query
	alt        string // the same with the second best hypothesis, or ""
	altFit     float64
	lemma      lemmaUse // the global names the recorded tactic cites
	shapeKey   string   // the recorded tactic's abstract shape
}

// neighbors returns the most similar recorded states to s with their
// tactics filled for s by matcher (newHypMatcher of s's first goal).
func (l *Learned) neighbors(s search.State, matcher *hypMatcher) []neighbor {
	if len(s.Goals) == 0 || len(l.examples) == 0 || matcher == nil {
		return nil
	}
	q := map[int32]int{}
	featureCounts(s.Goals, func(f string) {
		if id, ok := l.featureID[f]; ok {
			q[id]++
		}
	})
	if len(q) == 0 {
		return nil
	}
	bufp := l.scratch.Get().(*[]float32)
	dots := *bufp
	defer func() {
		clear(dots)
		l.scratch.Put(bufp)
	}()
	var qnorm float64
	for _, id := range slices.Sorted(maps.Keys(q)) { // in order, as in build
		cnt := q[id]
		w := float32(1+math.Log(float64(cnt))) * l.idf[id]
		qnorm += float64(w) * float64(w)
		for _, p := range l.postings[id] {
			dots[p.Example] += w * p.Weight
		}
	}
	qn := float32(math.Sqrt(qnorm))
	best := topSimilar(dots, l.norms, qn, l.params.Neighbors)
	out := make([]neighbor, len(best))
	for i, it := range best {
		r := l.recorded[it.example]
		text, fit, alt, altFit := r.tmpl.fill(r.hyps, r.hypToks, matcher)
		out[i] = neighbor{sim: it.sim, tactic: text, fit: fit, alt: alt, altFit: altFit,
			generality: r.generality, lemma: r.lemma, shapeKey: r.shapeKey}
	}
	return out
}

type simItem struct {
	sim     float32
	example int32
}

// worse orders neighbours: lower similarity first, and among equals the
// later recorded state, so that ties go to the earlier one on every run.
func (a simItem) worse(b simItem) bool {
	if a.sim != b.sim {
		return a.sim < b.sim
	}
	return a.example > b.example
}

// topSimilar returns the k recorded states with the highest cosine
// similarity dots[i]/(qnorm*norms[i]), best first. It keeps a min-heap of
// the best k written out by hand: container/heap's interface calls boxed
// every item and cost a tenth of a proposal.
func topSimilar(dots, norms []float32, qnorm float32, k int) []simItem {
	h := make([]simItem, 0, k)
	for i, d := range dots {
		if d == 0 || norms[i] == 0 || k <= 0 {
			continue
		}
		it := simItem{d / (qnorm * norms[i]), int32(i)}
		if len(h) < k {
			h = append(h, it)
			for j := len(h) - 1; j > 0; { // sift up
				parent := (j - 1) / 2
				if !h[j].worse(h[parent]) {
					break
				}
				h[j], h[parent] = h[parent], h[j]
				j = parent
			}
			continue
		}
		if !h[0].worse(it) {
			continue
		}
		h[0] = it
		for j := 0; ; { // sift down
			least, l, r := j, 2*j+1, 2*j+2
			if l < len(h) && h[l].worse(h[least]) {
				least = l
			}
			if r < len(h) && h[r].worse(h[least]) {
				least = r
			}
			if least == j {
				break
			}
			h[j], h[least] = h[least], h[j]
			j = least
		}
	}
	slices.SortFunc(h, func(a, b simItem) int {
		switch {
		case b.worse(a):
			return -1
		case a.worse(b):
			return 1
		}
		return 0
	})
	return h
}

var _ search.Policy = (*Learned)(nil)
