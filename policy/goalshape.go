package policy

import (
	"math"
	"strings"
)

// Goal shape: what kind of goal a state is, in a handful of discrete
// tokens (the target's outer connective, its relation, the number types it
// mentions, what its hypotheses offer). The nearest neighbours see a state
// as a bag of symbols and can miss that "constructor" is the move for any
// ↔, "left" for any ∨, "infer_instance" for a class goal or "intro" for a
// ∀; the shape makes that explicit, and shapeStats learns from the memory
// how much each token raises the odds of each tactic.

// goalShape returns the shape tokens of a state with nGoals goals whose
// first goal is g.
func goalShape(g goal, nGoals int) []string {
	toks := make([]string, 0, 16)
	switch {
	case nGoals <= 1:
		toks = append(toks, "goals:1")
	case nGoals <= 3:
		toks = append(toks, "goals:2-3")
	default:
		toks = append(toks, "goals:4+")
	}
	target := strings.TrimSpace(g.Target)
	tt := tokenize(target)
	if len(tt) > 0 {
		first := tt[0].Text
		switch {
		case strings.HasPrefix(target, "∃!"):
			toks = append(toks, "lead:∃!")
		case first == "∀" || first == "∃" || first == "¬":
			toks = append(toks, "lead:"+first)
		case tt[0].Ident && isUpperStart(first):
			// A class or structure goal ("Nonempty α", "Continuous f",
			// "IsOpen s") when no relation follows.
			toks = append(toks, "lead:Const")
		case first == "(":
			toks = append(toks, "lead:(")
		default:
			toks = append(toks, "lead:other")
		}
	}
	body := target
	for range 4 { // the body under leading binders
		if !strings.HasPrefix(body, "∀") && !strings.HasPrefix(body, "∃") {
			break
		}
		_, rest, ok := cutOuterComma(body)
		if !ok {
			break
		}
		body = strings.TrimSpace(rest)
	}
	rel := outerRelation(body)
	toks = append(toks, "rel:"+rel)
	if body != target {
		toks = append(toks, "bodyrel:"+rel)
	}
	for _, ty := range []string{"ℕ", "ℤ", "ℚ", "ℝ", "ℂ", "Set", "Finset", "List", "Matrix", "Polynomial"} {
		if containsWord(target, ty) {
			toks = append(toks, "mentions:"+ty)
		}
	}
	for _, sym := range []string{"↑", "∑", "∏", "⁻¹", "‖", "∫", "%", "/", "^", "•", "∘", "⁻¹'", "''"} {
		if strings.Contains(target, sym) {
			toks = append(toks, "sym:"+sym)
		}
	}
	for _, word := range []string{"fun", "deriv", "if", "match"} {
		if containsWord(target, word) { // not "diff" or "UniformContinuous"
			toks = append(toks, "sym:"+word)
		}
	}
	if len(tt) == 1 || (len(tt) > 0 && tt[0].Ident && rel == "none") {
		toks = append(toks, "head:"+tt[0].Text)
	}
	var exists, and, or, eqLocal, falseHyp, equalsTarget, ih bool
	locals := localNames(g)
	for _, h := range g.Hyps {
		switch {
		case strings.HasPrefix(h.Type, "∃"):
			exists = true
		case h.Type == "False":
			falseHyp = true
		case h.Type == target:
			equalsTarget = true
		}
		switch outerRelation(h.Type) {
		case "∧":
			and = true
		case "∨":
			or = true
		case "=":
			if sides := splitOuter(h.Type, " = "); len(sides) == 2 &&
				(locals[strings.TrimSpace(sides[0])] || locals[strings.TrimSpace(sides[1])]) {
				eqLocal = true
			}
		}
		if n := strings.ToLower(h.Name); strings.HasPrefix(n, "ih") || strings.HasPrefix(n, "hi") && strings.Contains(h.Type, "→") {
			ih = true
		}
	}
	for _, f := range []struct {
		on  bool
		tok string
	}{{exists, "hyp:∃"}, {and, "hyp:∧"}, {or, "hyp:∨"}, {eqLocal, "hyp:x=e"}, {falseHyp, "hyp:False"}, {equalsTarget, "hyp:=target"}, {ih, "hyp:ih"}} {
		if f.on {
			toks = append(toks, f.tok)
		}
	}
	if len(g.Hyps) == 0 {
		toks = append(toks, "hyps:0")
	}
	return toks
}

// shapeStats counts, over the memory, how often each key (a tactic's name
// or its abstract shape) was used in states with each shape token, and
// scores a key for a new state by naive Bayes: the sum over the state's
// tokens of the smoothed log-ratio P(key | token) / P(key). Tokens are
// numbered by a vocabulary that the two stats of a policy share, so that a
// query's tokens are looked up once.
//
// A token never seen with a key contributes log(α / (n_t + α)) whatever
// the key (α the smoothing, n_t the token's count), so finish stores that
// per token and, for the pairs seen together, only the difference: scoring
// a key is then a few lookups and additions, no logarithms.
type shapeStats struct {
	n     float64
	vocab *shapeVocab
	keys  map[string]int32
	count []float64          // per key
	toks  []float64          // per token
	joint map[uint64]float64 // (key, token) → count; after finish, → log-ratio minus absent
	// absent is, per token, the log-ratio of a key never seen with it (set
	// by finish).
	absent   []float64
	finished bool
}

// shapeVocab numbers goal shape tokens.
type shapeVocab struct{ ids map[string]int32 }

func newShapeStats(v *shapeVocab) *shapeStats {
	return &shapeStats{vocab: v, keys: map[string]int32{}, joint: map[uint64]float64{}}
}

// tokenIDs returns the ids of toks, leaving out tokens never seen.
func (s *shapeStats) tokenIDs(toks []string) []int32 {
	out := make([]int32, 0, len(toks))
	for _, t := range toks {
		if id, ok := s.vocab.ids[t]; ok {
			out = append(out, id)
		}
	}
	return out
}

// add records that key was used in a state with toks. Call finish after
// the last add.
func (s *shapeStats) add(key string, toks []string) {
	if s.finished {
		panic("policy: shapeStats.add after finish") // joint no longer holds counts
	}
	s.n++
	k, ok := s.keys[key]
	if !ok {
		k = int32(len(s.count))
		s.keys[key] = k
		s.count = append(s.count, 0)
	}
	s.count[k]++
	for _, t := range toks {
		id, ok := s.vocab.ids[t]
		if !ok {
			id = int32(len(s.vocab.ids))
			s.vocab.ids[t] = id
		}
		for int(id) >= len(s.toks) {
			s.toks = append(s.toks, 0)
		}
		s.toks[id]++
		s.joint[jointKey(k, id)]++
	}
}

// finish turns the counts into the log-ratios score adds up.
func (s *shapeStats) finish() {
	if s.finished {
		panic("policy: shapeStats.finish twice")
	}
	s.finished = true
	s.absent = make([]float64, len(s.toks))
	for t, nt := range s.toks {
		s.absent[t] = math.Log(shapeSmoothing / (nt + shapeSmoothing))
	}
	for jk, c := range s.joint {
		k, t := int32(jk>>32), int32(uint32(jk))
		base := s.count[k] / s.n
		p := (c + shapeSmoothing*base) / (s.toks[t] + shapeSmoothing)
		s.joint[jk] = math.Log(p/base) - s.absent[t]
	}
}

func jointKey(key, tok int32) uint64 { return uint64(key)<<32 | uint64(uint32(tok)) }

// shapeSmoothing is the number of pseudo-observations at the key's base
// rate that every token's estimate starts from: a token seen in a few
// states moves the score little.
const shapeSmoothing = 8

// score returns the log-odds gain of key given the state's token ids, and
// whether key was seen at all (false before finish).
func (s *shapeStats) score(key string, toks []int32) (float64, bool) {
	k, ok := s.keys[key]
	if !ok || s.n == 0 || !s.finished {
		return 0, false
	}
	sum := 0.0
	for _, t := range toks {
		if int(t) >= len(s.absent) {
			continue
		}
		sum += s.absent[t] + s.joint[jointKey(k, t)]
	}
	return sum, true
}
