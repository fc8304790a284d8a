package policy

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leanprove/leanprove/search"
)

// bestCandidates sorts cs by prior, highest first, ties by tactic text (so
// that a policy proposes the same list on every run, whatever order a map
// gave its candidates in), and keeps the first k.
func bestCandidates(cs []search.Candidate, k int) []search.Candidate {
	slices.SortFunc(cs, func(a, b search.Candidate) int {
		if c := cmp.Compare(b.Prior, a.Prior); c != 0 {
			return c
		}
		return strings.Compare(a.Tactic, b.Tactic)
	})
	return cs[:min(len(cs), k)]
}
