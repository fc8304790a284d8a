package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leanprove/leanprove/search"
	"github.com/leanprove/leanprove/search/searchtest"
)

// a is one arc of a scripted graph.
func a(tactic, to string) searchtest.Arc { return searchtest.Arc{Tactic: tactic, To: to} }

var modes = []search.Mode{search.ModeMCTS, search.ModeBestFirst}

// forEachSetting runs f for both modes with one and with four workers.
func forEachSetting(t *testing.T, f func(t *testing.T, p search.Params)) {
	for _, mode := range modes {
		for _, workers := range []int{1, 4} {
			t.Run(fmt.Sprintf("%v/workers=%d", mode, workers), func(t *testing.T) {
				f(t, search.Params{Mode: mode, Workers: workers, Seed: 1})
			})
		}
	}
}

func run(t *testing.T, g *searchtest.Graph, p search.Params) *search.Result {
	t.Helper()
	r, err := search.Run(context.Background(), g.RootState(), g, g, p)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, bad := range g.BadTraces() {
		t.Errorf("bad trace: %s", bad)
	}
	return r
}

// replay applies a proof to the graph from its root and reports whether it
// closes every goal.
func replay(t *testing.T, g *searchtest.Graph, proof []string) bool {
	t.Helper()
	s := g.RootState()
	for _, tac := range proof {
		step, err := g.Apply(context.Background(), s, tac)
		if err != nil {
			t.Fatalf("replay %q: %v", tac, err)
		}
		switch step.Outcome {
		case search.OutcomeProved:
			return true
		case search.OutcomeGoals:
			s = search.State{Goals: step.State.Goals, Trace: append(slices.Clone(s.Trace), tac)}
		default:
			return false
		}
	}
	return false
}

func TestProvesThroughDistractors(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ A", Arcs: map[string][]searchtest.Arc{
			"⊢ A": {a("bad1", "!error"), a("step", "⊢ B"), a("bad2", "⊢ X")},
			"⊢ B": {a("split", "⊢ C | ⊢ D"), a("bad3", "!timeout")},
			"⊢ C": {a("close", "")},
			"⊢ D": {a("close", "")},
			"⊢ X": {a("loop", "⊢ X2")},
		}}
		r := run(t, g, p)
		if !r.Proved || r.Stop != search.StopProved {
			t.Fatalf("not proved: stop %v, stats %+v", r.Stop, r.Stats)
		}
		if !replay(t, g, r.Proof) {
			t.Errorf("proof %q does not replay", r.Proof)
		}
	})
}

// TestTranspositionsShareNodes reaches one state along two paths, written
// differently; it must be one node whose tactics run once.
func TestTranspositionsShareNodes(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{
			"⊢ R":                    {a("left", "⊢ L"), a("right", "⊢ Q")},
			"⊢ L":                    {a("go", "b : Nat\na : Nat\n⊢ C")},
			"⊢ Q":                    {a("go", "a : Nat\nb  : Nat\n⊢ C")},
			"b : Nat\na : Nat\n⊢ C":  {a("fail", "!error"), a("fail2", "!error")},
			"a : Nat\nb  : Nat\n⊢ C": {a("fail", "!error"), a("fail2", "!error")},
		}}
		r := run(t, g, p)
		if r.Stop != search.StopExhausted {
			t.Fatalf("stop %v, want exhausted", r.Stop)
		}
		if r.Stats.Nodes != 4 || r.Stats.TranspositionHits != 1 {
			t.Errorf("nodes %d, transposition hits %d; want 4 and 1", r.Stats.Nodes, r.Stats.TranspositionHits)
		}
		calls := g.Calls("b : Nat\na : Nat\n⊢ C", "fail") + g.Calls("a : Nat\nb  : Nat\n⊢ C", "fail")
		if calls != 1 {
			t.Errorf("the shared node's tactic ran %d times, want 1", calls)
		}
		if r.Stats.ProverCalls != 6 {
			t.Errorf("prover calls %d, want 6 (2 + 2 + 2)", r.Stats.ProverCalls)
		}
	})
}

// TestProvedThroughTransposition proves a shared node from one parent: the
// proof must propagate to both and replay from the root.
func TestProvedThroughTransposition(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{
			"⊢ R": {a("a", "⊢ A"), a("b", "⊢ B")},
			"⊢ A": {a("toC", "⊢ C")},
			"⊢ B": {a("toC", "⊢ C")},
			"⊢ C": {a("nope", "!error"), a("done", "")},
		}}
		r := run(t, g, p)
		if !r.Proved || !replay(t, g, r.Proof) {
			t.Fatalf("proved %v, proof %q", r.Proved, r.Proof)
		}
		var tr search.Tree
		var buf bytes.Buffer
		if err := r.Tree().WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(buf.Bytes(), &tr); err != nil {
			t.Fatal(err)
		}
		for _, n := range tr.Nodes {
			if n.Goals[0] == "⊢ C" && n.Status != "proved" {
				t.Errorf("shared node C is %s", n.Status)
			}
		}
	})
}

// TestCyclesAreCut searches a graph whose only moves go round in circles:
// the search must end as exhausted, not loop.
func TestCyclesAreCut(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ A", Arcs: map[string][]searchtest.Arc{
			"⊢ A": {a("next", "⊢ B"), a("self", "⊢ A")},
			"⊢ B": {a("next", "⊢ C"), a("back", "⊢ A")},
			"⊢ C": {a("next", "⊢ A"), a("fail", "!error")},
		}}
		p.MaxProverCalls = 1000
		r := run(t, g, p)
		if r.Stop != search.StopExhausted || r.Proved {
			t.Fatalf("stop %v, proved %v; want exhausted", r.Stop, r.Proved)
		}
		if r.Stats.ProverCalls != 6 {
			t.Errorf("prover calls %d, want 6 (each tactic once)", r.Stats.ProverCalls)
		}
		if r.Stats.Nodes != 3 {
			t.Errorf("nodes %d, want 3", r.Stats.Nodes)
		}
	})
}

// TestCycleThenProof has a cycle beside the proof.
func TestCycleThenProof(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ A", Arcs: map[string][]searchtest.Arc{
			"⊢ A": {a("toB", "⊢ B")},
			"⊢ B": {a("back", "⊢ A"), a("toC", "⊢ C")},
			"⊢ C": {a("toA", "⊢ A"), a("done", "")},
		}}
		r := run(t, g, p)
		if !r.Proved || !replay(t, g, r.Proof) {
			t.Fatalf("proved %v, proof %q, stop %v", r.Proved, r.Proof, r.Stop)
		}
		if want := []string{"toB", "toC", "done"}; !slices.Equal(r.Proof, want) {
			t.Errorf("proof %q, want %q", r.Proof, want)
		}
	})
}

// TestDeadPropagates: every line fails, so every node ends dead and the
// search says exhausted after trying each tactic exactly once.
func TestDeadPropagates(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{
			"⊢ R": {a("a", "⊢ A"), a("b", "⊢ B"), a("c", "!error")},
			"⊢ A": {a("x", "!error"), a("y", "!timeout")},
			"⊢ B": {a("z", "⊢ Z")},
			// ⊢ Z has no candidates at all.
		}}
		r := run(t, g, p)
		if r.Stop != search.StopExhausted {
			t.Fatalf("stop %v, want exhausted", r.Stop)
		}
		if r.Stats.ProverCalls != 6 {
			t.Errorf("prover calls %d, want 6", r.Stats.ProverCalls)
		}
		for _, n := range r.Tree().Nodes {
			if n.Status != "dead" {
				t.Errorf("node %q is %s, want dead", n.Goals, n.Status)
			}
		}
	})
}

func TestPolicyFailureAtRoot(t *testing.T) {
	boom := errors.New("endpoint down")
	policy := search.PolicyFunc(func(context.Context, search.State, int) ([]search.Candidate, error) { return nil, boom })
	g := &searchtest.Graph{Root: "⊢ R"}
	for _, mode := range modes {
		_, err := search.Run(context.Background(), g.RootState(), g, policy, search.Params{Mode: mode})
		if !errors.Is(err, search.ErrPolicy) || !errors.Is(err, boom) {
			t.Errorf("%v: err = %v, want ErrPolicy wrapping the policy's error", mode, err)
		}
	}
}

func TestRootWithoutGoals(t *testing.T) {
	g := &searchtest.Graph{Root: "⊢ R"}
	if _, err := search.Run(context.Background(), search.State{}, g, g, search.Params{}); !errors.Is(err, search.ErrNoGoals) {
		t.Errorf("err = %v, want ErrNoGoals", err)
	}
}

func TestBadParams(t *testing.T) {
	tests := []struct {
		name  string
		p     search.Params
		field string
	}{
		{"negative expansions", search.Params{MaxExpansions: -1}, "MaxExpansions"},
		{"negative calls", search.Params{MaxProverCalls: -5}, "MaxProverCalls"},
		{"negative wall time", search.Params{WallTime: -1}, "WallTime"},
		{"negative tactic timeout", search.Params{TacticTimeout: -1}, "TacticTimeout"},
		{"negative workers", search.Params{Workers: -2}, "Workers"},
		{"unknown mode", search.Params{Mode: 9}, "Mode"},
		{"unknown selection", search.Params{Selection: 7}, "Selection"},
		{"negative cpuct", search.Params{CPuct: -1}, "CPuct"},
		{"widenings past int", search.Params{Widenings: 64}, "Widenings"},
		{"widenings past 2^31 candidates", search.Params{CandidatesPerNode: 16, Widenings: 27}, "Widenings"},
	}
	g := &searchtest.Graph{Root: "⊢ R"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := search.Run(context.Background(), g.RootState(), g, g, tt.p)
			if !errors.Is(err, search.ErrBadParams) || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("err = %v, want ErrBadParams naming %s", err, tt.field)
			}
		})
	}
	if _, err := search.Run(context.Background(), g.RootState(), nil, g, search.Params{}); !errors.Is(err, search.ErrBadParams) {
		t.Errorf("nil prover: err = %v, want ErrBadParams", err)
	}
}

func TestParseModeAndSelection(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want search.Mode
		ok   bool
	}{{"mcts", search.ModeMCTS, true}, {"bestfirst", search.ModeBestFirst, true}, {"best-first", search.ModeBestFirst, true}, {"dfs", 0, false}, {"", 0, false}} {
		got, err := search.ParseMode(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseMode(%q) = %v, %v", tt.in, got, err)
		}
		if tt.ok && got.String() != strings.ReplaceAll(tt.in, "-", "") {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
	for _, tt := range []struct {
		in   string
		want search.Selection
		ok   bool
	}{{"puct", search.SelectPUCT, true}, {"ucb1", search.SelectUCB1, true}, {"ucb", 0, false}} {
		got, err := search.ParseSelection(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseSelection(%q) = %v, %v", tt.in, got, err)
		}
	}
}

// TestClosingRollout proves a node with a portfolio tactic the policy never
// proposes, and never applies a tactic twice when the policy proposes one
// the rollout already tried.
func TestClosingRollout(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ R",
			Arcs: map[string][]searchtest.Arc{
				"⊢ R": {a("omega", "!error"), a("intro", "⊢ A")},
				"⊢ A": {a("simp", "⊢ B")},
			},
			Hidden: map[string][]searchtest.Arc{"⊢ A": {a("decide", "")}},
		}
		p.ClosingRollout = true
		p.ClosingTactics = []string{"omega", "decide"}
		r := run(t, g, p)
		if want := []string{"intro", "decide"}; !r.Proved || !slices.Equal(r.Proof, want) {
			t.Fatalf("proof %q (proved %v), want %q", r.Proof, r.Proved, want)
		}
		if n := g.Calls("⊢ R", "omega"); n != 1 {
			t.Errorf("omega applied %d times at the root, want 1 (the rollout's answer is reused)", n)
		}
		if n := g.Calls("⊢ A", "simp"); n != 0 {
			t.Errorf("simp applied %d times; the rollout proves ⊢ A before its expansion", n)
		}
	})
}

// TestProverFailuresRetried: a crashing tactic is retried once and then
// given up, and the search still finds the proof beside it.
func TestProverFailuresRetried(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{
			"⊢ R": {a("crash", "!crash"), a("ok", "⊢ A")},
			"⊢ A": {a("crash", "!crash")},
		}}
		r := run(t, g, p)
		if r.Stop != search.StopExhausted {
			t.Fatalf("stop %v, want exhausted", r.Stop)
		}
		if got := g.Calls("⊢ R", "crash"); got != 2 {
			t.Errorf("crash applied %d times, want 2 (one retry)", got)
		}
		if r.Stats.ProverErrors != 4 {
			t.Errorf("prover errors %d, want 4", r.Stats.ProverErrors)
		}
	})
}

func TestTreeExport(t *testing.T) {
	g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{
		"⊢ R":     {a("bad", "!error"), a("go", "⊢ \"A\"")},
		"⊢ \"A\"": {a("done", "")},
	}}
	r := run(t, g, search.Params{})
	var js, dot bytes.Buffer
	if err := r.Tree().WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var tr search.Tree
	if err := json.Unmarshal(js.Bytes(), &tr); err != nil {
		t.Fatalf("JSON export does not parse: %v\n%s", err, js.String())
	}
	if len(tr.Nodes) != r.Stats.Nodes || tr.Nodes[tr.Root].Status != "proved" {
		t.Errorf("JSON tree: %d nodes (stats %d), root %q", len(tr.Nodes), r.Stats.Nodes, tr.Nodes[tr.Root].Status)
	}
	if err := r.Tree().WriteDOT(&dot); err != nil {
		t.Fatal(err)
	}
	d := dot.String()
	for _, want := range []string{"digraph search {", "n0 -> n1 [label=\"go\\l", "style=bold", "color=red", `⊢ \"A\"`} {
		if !strings.Contains(d, want) {
			t.Errorf("DOT export lacks %q:\n%s", want, d)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(d), "}") {
		t.Errorf("DOT export is not closed:\n%s", d)
	}
}

// TestPanicPropagates: a prover that panics on a pool goroutine makes Run
// panic on the caller's goroutine, instead of leaving it waiting forever.
func TestPanicPropagates(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{"⊢ R": {a("boom", "⊢ A"), a("ok", "⊢ B")}}}
			prover := search.ProverFunc(func(ctx context.Context, s search.State, tac string) (search.Step, error) {
				if tac == "boom" {
					panic("prover bug")
				}
				return g.Apply(ctx, s, tac)
			})
			done := make(chan any, 1)
			go func() {
				defer func() { done <- recover() }()
				search.Run(context.Background(), g.RootState(), prover, g, search.Params{Workers: workers})
			}()
			select {
			case v := <-done:
				if v == nil || !strings.Contains(fmt.Sprint(v), "prover bug") {
					t.Errorf("recovered %v, want the prover's panic", v)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("Run did not return after a prover panic")
			}
		})
	}
}
