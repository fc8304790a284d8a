package search_test

import (
	"context"
	"fmt"
	"os"

	"github.com/leanprove/leanprove/search"
	"github.com/leanprove/leanprove/search/searchtest"
)

// A search over a hand-written graph: the policy proposes the tactics in
// the order listed, and Run finds the proof around the failing ones.
func ExampleRun() {
	g := &searchtest.Graph{Root: "n : Nat\n⊢ n + 0 = n", Arcs: map[string][]searchtest.Arc{
		"n : Nat\n⊢ n + 0 = n":         {{Tactic: "rfl", To: "!error"}, {Tactic: "induction n", To: "⊢ 0 + 0 = 0 | n : Nat\n⊢ n + 1 + 0 = n + 1"}},
		"⊢ 0 + 0 = 0":                  {{Tactic: "rfl", To: ""}},
		"n : Nat\n⊢ n + 1 + 0 = n + 1": {{Tactic: "simp", To: ""}},
	}}
	r, err := search.Run(context.Background(), g.RootState(), g, g, search.Params{MaxProverCalls: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Proved, r.Stop, r.Proof)
	fmt.Println(r.Stats.ProverCalls, "prover calls,", r.Stats.Nodes, "states")
	// Output:
	// true proved [induction n rfl simp]
	// 4 prover calls, 3 states
}

// The tree of a search, as Graphviz input (render with `dot -Tsvg`).
func ExampleTree_WriteDOT() {
	g := &searchtest.Graph{Root: "⊢ P", Arcs: map[string][]searchtest.Arc{
		"⊢ P": {{Tactic: "bad", To: "!error"}, {Tactic: "trivial", To: ""}},
	}}
	r, _ := search.Run(context.Background(), g.RootState(), g, g, search.Params{})
	r.Tree().WriteDOT(os.Stdout)
	// Output:
	// digraph search {
	//   node [shape=box, fontname="monospace", fontsize=10];
	//   edge [fontname="monospace", fontsize=9];
	//   n0 [label="#0 N=3 Q=0.666\l⊢ P\l", style=filled, fillcolor=palegreen];
	//   n0e0 [shape=point];
	//   n0 -> n0e0 [label="bad\lP=0.500 N=0\lerror: rejected\l", color=red, fontcolor=red];
	//   n0e1 [shape=doublecircle, label="∎", width=0.2];
	//   n0 -> n0e1 [label="trivial\lP=0.250 N=1\l", style=bold, color=darkgreen];
	// }
}
