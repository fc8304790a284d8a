package search

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// TestQueueOrder checks the best-first heap pops by priority, then by
// insertion order.
func TestQueueOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var q bfQueue
	var want []bfItem
	for i := range 500 {
		it := bfItem{prio: float64(rng.IntN(20)), seq: uint64(i)}
		q.push(it)
		want = append(want, it)
	}
	sort.SliceStable(want, func(i, j int) bool { return want[i].prio > want[j].prio })
	for i, w := range want {
		got := q.pop()
		if got.prio != w.prio || got.seq != w.seq {
			t.Fatalf("pop %d = %+v, want %+v", i, got, w)
		}
	}
	if len(q) != 0 {
		t.Errorf("%d items left", len(q))
	}
}
