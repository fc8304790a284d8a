package policy

import (
	"sort"
	"strings"
)

// Frequent one-hypothesis shapes: "simpa using □", "exact □.symm",
// "simp at □", "rw [□]", and for variables "cases □", "induction' □ with □
// ih", "rcases eq_or_ne □ 0 with rfl | h□". Many recorded steps are such a
// shape applied to a local of the state, and a new state's right local is
// often one of its last few proofs or last few variables. So, besides the
// neighbours' own fills, the most common of these shapes are offered filled
// with each of the query's last proofs and last variables; the ranker
// (rank.go) weighs them by the shape's frequency, the local's recency, how
// much its type shares with the target, and whether the shape was used on
// locals of its kind (a proof or a variable).

// hypShape is a frequent one-hypothesis shape with □ where the hypothesis
// goes, how many recorded tactics have it, and the share of those whose
// hypothesis was a variable rather than a proof.
type hypShape struct {
	text     string
	count    int
	varShare float64
}

// frequentHypShapes returns the k most common shapes of recorded tactics
// whose slots all name one hypothesis (and no binder).
func frequentHypShapes(recorded []recordedState, k int) []hypShape {
	counts := map[string]int{}
	vars := map[string]int{}
	for _, r := range recorded {
		if s, ok := r.tmpl.onlySlot(); ok && s.Hyp >= 0 {
			text := r.tmpl.abstractText()
			counts[text]++
			if !isProof(r.hyps[s.Hyp]) {
				vars[text]++
			}
		}
	}
	out := topShapes(counts, k)
	for i := range out {
		out[i].varShare = float64(vars[out[i].text]) / float64(out[i].count)
	}
	return out
}

// isProof guesses whether a hypothesis proves a proposition ("hx : x ∈ s",
// "ih : …", "H : ∀ x, p x") or is a variable ("n : ℕ", "f : α → β",
// "H : Subgroup G", "a : {x // p x}"): by its name where Mathlib's naming
// says (h…, ih, this), else by a relation outside brackets in its type.
func isProof(h hypothesis) bool {
	name, typ := h.Name, strings.TrimSpace(h.Type)
	if strings.HasPrefix(name, "h") || strings.HasPrefix(name, "ih") || strings.HasPrefix(name, "IH") || name == "this" {
		return true
	}
	if typ == "False" || typ == "True" || strings.HasPrefix(typ, "¬") || strings.HasPrefix(typ, "∃") {
		return true
	}
	if rel := outerRelation(typ); rel != "none" && rel != "→" {
		return true
	}
	// A ∀ statement or an implication is a proof when named like one; a
	// function type (f : α → β) is a variable.
	return strings.HasPrefix(name, "H") && (strings.HasPrefix(typ, "∀") || strings.Contains(typ, "→"))
}

// topShapes returns the k shapes with the largest counts, those seen at
// least twice, ties broken by text.
func topShapes(counts map[string]int, k int) []hypShape {
	out := make([]hypShape, 0, len(counts))
	for t, c := range counts {
		if c >= 2 {
			out = append(out, hypShape{text: t, count: c})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].count != out[j].count {
			return out[i].count > out[j].count
		}
		return out[i].text < out[j].text
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}

// recentHyp is one of the query's last proofs or variables, usable by name.
type recentHyp struct {
	name     string
	variable bool
	recency  float64 // 1 for the last of its kind, 1/2 for the one before, …
	affinity float64 // Jaccard similarity of its type tokens with the target's
	// lhsIn and rhsIn: the hypothesis is an equation or iff whose left
	// (right) side occurs in the target, so rewriting with it (backwards)
	// changes the target.
	lhsIn, rhsIn bool
}

// recentHyps returns up to k of g's last proofs and up to k of its last
// variables that a tactic can name: not inaccessible (x✝) and not a type or
// universe variable.
func recentHyps(g goal, k int) []recentHyp {
	locals := localNames(g)
	target := typeTokens(g.Target, locals)
	var out []recentHyp
	proofs, vars := 0, 0
	for i := len(g.Hyps) - 1; i >= 0 && (proofs < k || vars < k); i-- {
		h := g.Hyps[i]
		if strings.ContainsRune(h.Name, '✝') || strings.HasPrefix(h.Type, "Type") || strings.HasPrefix(h.Type, "Sort") {
			continue
		}
		n := &proofs
		variable := !isProof(h)
		if variable {
			n = &vars
		}
		if *n >= k {
			continue
		}
		*n++
		r := recentHyp{name: h.Name, variable: variable, recency: 1 / float64(*n),
			affinity: jaccard(typeTokens(h.Type, locals), target)}
		r.lhsIn, r.rhsIn = sidesIn(h.Type, g.Target)
		out = append(out, r)
	}
	return out
}

// frequentConstShapes returns the k most common shapes of recorded tactics
// whose slots all name one constant of the target ("unfold ◈", "rw [◈]"),
// with ◈ where the constant goes.
func frequentConstShapes(recorded []recordedState, k int) []hypShape {
	counts := map[string]int{}
	for _, r := range recorded {
		if s, ok := r.tmpl.onlySlot(); ok && s.Hyp == constSlot {
			counts[strings.ReplaceAll(r.tmpl.abstractText(), constMark(s.Binder), "◈")]++
		}
	}
	return topShapes(counts, k)
}

// sidesIn reports whether the left and the right side of an equation or
// iff typ occur in target (whitespace aside).
func sidesIn(typ, target string) (lhs, rhs bool) {
	target = " " + strings.Join(strings.Fields(target), " ") + " "
	for _, rel := range []string{" = ", " ↔ "} {
		if sides := splitOuter(typ, rel); len(sides) == 2 {
			l := strings.Join(strings.Fields(stripParens(sides[0])), " ")
			r := strings.Join(strings.Fields(stripParens(sides[1])), " ")
			return l != "" && strings.Contains(target, l), r != "" && strings.Contains(target, r)
		}
	}
	return false, false
}
