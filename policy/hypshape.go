package policy

import (
	"sort"
	"strings"
)

// Frequent one-hypothesis shapes: "simpa using □", "exact □.symm",
// "simp at □", "rw [□]". Many recorded steps are such a shape applied to a
// hypothesis of the state, and a new state's right hypothesis is often one
// of its last few. So, besides the neighbours' own fills, the most common of
// these shapes are offered filled with each of the query's last hypotheses;
// the ranker (rank.go) weighs them by the shape's frequency, the
// hypothesis's recency and how much its type shares with the target.

// hypShape is a frequent one-hypothesis shape with □ where the hypothesis
// goes, and how many recorded tactics have it.
type hypShape struct {
	text  string
	count int
}

// frequentHypShapes returns the k most common shapes of recorded tactics
// whose slots all name one hypothesis (and no binder).
func frequentHypShapes(recorded []recordedState, k int) []hypShape {
	counts := map[string]int{}
	for _, r := range recorded {
		if len(r.tmpl.Slots) == 0 {
			continue
		}
		one := true
		for _, s := range r.tmpl.Slots {
			if s.Hyp < 0 || s.Hyp != r.tmpl.Slots[0].Hyp {
				one = false
				break
			}
		}
		if one {
			counts[r.tmpl.abstractText()]++
		}
	}
	out := make([]hypShape, 0, len(counts))
	for t, c := range counts {
		if c >= 2 {
			out = append(out, hypShape{t, c})
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

// recentHyp is one of the query's last hypotheses, usable by name.
type recentHyp struct {
	name     string
	recency  float64 // 1 for the last hypothesis, 1/2 for the one before, …
	affinity float64 // Jaccard similarity of its type tokens with the target's
}

// recentHyps returns up to k of g's last hypotheses that a tactic can name:
// not inaccessible (x✝) and not a type or universe variable.
func recentHyps(g goal, k int) []recentHyp {
	locals := make(map[string]bool, len(g.Hyps))
	for _, h := range g.Hyps {
		locals[h.Name] = true
	}
	target := typeTokens(g.Target, locals)
	var out []recentHyp
	for i := len(g.Hyps) - 1; i >= 0 && len(out) < k; i-- {
		h := g.Hyps[i]
		if strings.ContainsRune(h.Name, '✝') || strings.HasPrefix(h.Type, "Type") || strings.HasPrefix(h.Type, "Sort") {
			continue
		}
		out = append(out, recentHyp{name: h.Name, recency: 1 / float64(1+len(out)),
			affinity: jaccard(typeTokens(h.Type, locals), target)})
	}
	return out
}
