package searchtest

import (
	"fmt"

	"github.com/leanprove/leanprove/search"
)

// A Problem is one synthetic theorem: a world and its root state.
type Problem struct {
	Name  string
	World *World
	Root  search.State
}

// Problems returns the fixed benchmark set of n problems generated from
// seed: depths 3 to 10, branching 6 to 12, a third to a half of the tactics
// failing, some dead ends, and transpositions. The same arguments always
// give the same set.
func Problems(n int, seed uint64) []Problem {
	out := make([]Problem, n)
	for i := range out {
		h := mix(seed, uint64(i), 0x9b0b)
		w := &World{
			Seed:              mix(h, 1, 0),
			Depth:             3 + int(h%8),
			Branching:         6 + int(h>>8%7),
			ErrorRate:         0.3 + 0.2*unit(mix(h, 2, 0)),
			DeadEndRate:       0.1 * unit(mix(h, 3, 0)),
			TranspositionRate: 0.2 * unit(mix(h, 4, 0)),
			PoolSize:          4,
		}
		out[i] = Problem{Name: fmt.Sprintf("synthetic-%03d-d%d-b%d", i, w.Depth, w.Branching), World: w, Root: w.Root(i)}
	}
	return out
}
