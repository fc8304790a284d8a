package policy

import "strings"

// The portfolio's Mathlib finishers. A project that depends on Mathlib has
// the automation that proves most routine goals (the fixed-table and aesop
// baselines of proof-search-anchors.md reach about a third of miniF2F with
// it), and a policy without a model should try it first: norm_num for
// numerals, linarith and positivity for orders, ring for commutative-ring
// equations, norm_cast for coercions, ext for equal functions and sets,
// aesop and tauto for logic. Each has a small base weight and a boost where
// the first goal's shape calls for it; like the core portfolio's, the
// weights are ranks more than probabilities. In a file that does not import
// Mathlib these tactics are unknown and fail at once, costing one Lean call.

// mathlibBase are the weights of the four finishers offered on any goal;
// the others (mathlibTail) come last unless the goal's shape calls for
// them. Mixed with a learned policy, whose priors are probabilities, larger
// base weights would push its candidates out of the first 16 (measured on
// a split of the train traces: recall at 16 fell by two points with base
// weights four times these).
var mathlibBase = map[string]float64{
	"norm_num": 0.015,
	"linarith": 0.01,
	"ring":     0.0075,
	"aesop":    0.0075,
}

// mathlibTail are the finishers offered on any goal only after everything
// else; addMathlibFinishers boosts them where they fit.
var mathlibTail = []string{
	"positivity", "simpa", "ext", "norm_cast", "nlinarith", "push_cast", "field_simp",
	"tauto", "push_neg", "congr 1", "ring_nf", "gcongr", "abel",
}

// tailWeight is a tail finisher's weight: below any other candidate's.
const tailWeight = 1e-4

// addMathlibFinishers adds the finishers to w, boosted by g's shape.
func addMathlibFinishers(w map[string]float64, g goal) {
	for t, p := range mathlibBase {
		w[t] += p
	}
	for _, t := range mathlibTail {
		w[t] += tailWeight
	}
	boost := func(t string, by float64) { w[t] += by }
	target := g.Target
	rel := outerRelation(target)
	arith := containsAny(target, "+", "*", "^", "-", "/", "⁻¹") || hasNumeral(target)
	switch rel {
	case "≤", "<", "≥", ">":
		boost("linarith", 0.12)
		boost("norm_num", 0.04)
		boost("gcongr", 0.03)
		if containsAny(target, "^", "*") {
			boost("nlinarith", 0.05)
		}
		if isZeroBound(target, rel) {
			boost("positivity", 0.25)
		}
	case "≠":
		if isZeroBound(target, rel) {
			boost("positivity", 0.1)
			boost("norm_num", 0.05)
		}
	case "=":
		// rfl stays ahead of the heavier finishers: the cheapest proof of
		// an equation, and a third of Mathlib's one-word ones.
		boost("rfl", 0.06)
		if arith {
			boost("ring", 0.12)
			boost("norm_num", 0.04)
			boost("ring_nf", 0.02)
		}
		if containsAny(target, "/", "⁻¹") {
			boost("field_simp", 0.05)
		}
		if containsAny(target, "fun ", "λ", "∩", "∪", "ᶜ", "⁻¹'", "''", "⇑") {
			boost("ext", 0.2)
		}
		if containsAny(target, "•", "- ") && !containsAny(target, "*", "^") {
			boost("abel", 0.02)
		}
	case "↔", "∧", "∨", "→":
		boost("tauto", 0.03)
		boost("aesop", 0.03)
	case "∈", "∉", "⊆":
		boost("aesop", 0.04)
	}
	if target == "False" && hasOrderHypothesis(g) {
		boost("linarith", 0.12)
	}
	if hasNumeral(target) && !hasLocalIn(target, g) {
		boost("norm_num", 0.15) // a closed numeric fact: 2 ^ 10 = 1024, (7 : ℝ) / 2 < 4
	}
	if strings.Contains(target, "↑") {
		boost("norm_cast", 0.08)
		boost("push_cast", 0.04)
	}
	if strings.HasPrefix(target, "¬") {
		boost("push_neg", 0.04)
	}
}

// isZeroBound reports targets positivity proves: 0 < e, 0 ≤ e, e > 0,
// e ≥ 0 and e ≠ 0, where rel is the target's outer relation. The bound is
// read at the ends of the target, not at the first occurrence of rel's
// symbol, which may lie inside a lambda or an if: "(s.filter fun x => x >
// 0).card > 0" is a zero bound.
func isZeroBound(target, rel string) bool {
	target = strings.TrimSpace(target) // a wrapped target's last line may be blank
	switch rel {
	case "<", "≤":
		return strings.HasPrefix(target, "0 "+rel+" ")
	case ">", "≥", "≠":
		return strings.HasSuffix(target, " "+rel+" 0")
	}
	return false
}

// hasOrderHypothesis reports a hypothesis that is an order fact, which
// linarith combines to prove False.
func hasOrderHypothesis(g goal) bool {
	for _, h := range g.Hyps {
		switch outerRelation(h.Type) {
		case "≤", "<", "≥", ">":
			return true
		}
	}
	return false
}

// hasLocalIn reports whether text names one of g's hypotheses or variables.
func hasLocalIn(text string, g goal) bool {
	locals := localNames(g)
	for _, t := range tokenize(text) {
		if t.Ident && locals[t.Text] {
			return true
		}
	}
	return false
}
