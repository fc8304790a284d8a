package corpus_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/leanrpc/leanrpctest"
)

func TestTraceDynamicAgainstFakeLean(t *testing.T) {
	const (
		swapRoot  = "p q : Prop\nhp : p\nhq : q\n⊢ q ∧ p"
		swapSplit = "case left\np q : Prop\nhp : p\nhq : q\n⊢ q\n\ncase right\np q : Prop\nhp : p\nhq : q\n⊢ p"
		swapRight = "case right\np q : Prop\nhp : p\nhq : q\n⊢ p"
	)
	script := &leanrpctest.Script{
		Theorems: map[string]string{
			"Demo.add_zero'": "n : Nat\n⊢ n + 0 = n",
			"Demo.and_swap":  swapRoot,
			"one_pos'":       "⊢ 0 < 1",
		},
		Steps: []leanrpctest.ScriptStep{
			{State: "n : Nat\n⊢ n + 0 = n", Tactic: "simp", NewState: "no goals"},
			{State: swapRoot, Tactic: "constructor", NewState: swapSplit},
			{State: swapSplit, Tactic: "· exact hq", NewState: swapRight},
			{State: swapRight, Tactic: "· exact hp", NewState: "no goals"},
			// one_pos' fails: its step is left out, and so is the theorem.
			{Tactic: "decide", Result: leanrpctest.Result{Error: "decide failed"}},
		},
	}
	conn, srv := leanrpctest.NewPipe(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Semantics: script}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var got []corpus.Theorem
	for _, f := range []string{"Basic.lean", filepath.Join("sub", "More.lean")} {
		src, err := leanrpc.ParseFile(filepath.Join("testdata", "lean", f))
		if err != nil {
			t.Fatal(err)
		}
		ths, err := corpus.TraceDynamic(ctx, conn, src)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ths...)
	}
	if len(got) != 2 || got[0].FullName != "Demo.add_zero'" || got[1].FullName != "Demo.and_swap" {
		t.Fatalf("traced %+v", got)
	}
	swap := got[1].Steps
	want := []corpus.Step{
		{Tactic: "constructor", StateBefore: swapRoot, StateAfter: swapSplit},
		{Tactic: "· exact hq", StateBefore: swapSplit, StateAfter: swapRight},
		{Tactic: "· exact hp", StateBefore: swapRight, StateAfter: "no goals"},
	}
	if len(swap) != len(want) {
		t.Fatalf("steps %+v", swap)
	}
	for i := range want {
		if swap[i].Tactic != want[i].Tactic || swap[i].StateBefore != want[i].StateBefore || swap[i].StateAfter != want[i].StateAfter {
			t.Errorf("step %d = %+v, want %+v", i, swap[i], want[i])
		}
	}
	// The traces replay: what dynamic tracing records is what the replay
	// prover and the search consume.
	r := corpus.NewReplay(got)
	for _, th := range got {
		if !r.Replayable(ctx, th) {
			t.Errorf("%s does not replay", th.FullName)
		}
	}
	// One document per theorem; each is closed before the next opens (the
	// last close is a notification the server may not have read yet).
	if st := srv.Stats(); st.Opens != 3 || st.Closes < 2 {
		t.Errorf("server saw %d opens, %d closes; want 3 opens, at least 2 closes", st.Opens, st.Closes)
	}
}

// traceFixture traces testdata/lean-dyn/Dyn.lean against the fake server.
func traceFixture(t *testing.T, script *leanrpctest.Script) []corpus.Theorem {
	t.Helper()
	conn, _ := leanrpctest.NewPipe(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Semantics: script}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	src, err := leanrpc.ParseFile(filepath.Join("testdata", "lean-dyn", "Dyn.lean"))
	if err != nil {
		t.Fatal(err)
	}
	ths, err := corpus.TraceDynamic(ctx, conn, src)
	if err != nil {
		t.Fatal(err)
	}
	return ths
}

// An example has no name in Lean, but a trace record needs one: Load
// refuses a theorem without full_name, and the store keys by file and name,
// so two examples of one file would overwrite each other.
func TestTraceDynamicNamesExamples(t *testing.T) {
	ths := traceFixture(t, &leanrpctest.Script{
		Theorems: map[string]string{"*": "⊢ True"},
		Steps:    []leanrpctest.ScriptStep{{State: "⊢ True", Tactic: "trivial", NewState: "no goals"}, {Tactic: "rfl", NewState: "no goals"}},
	})
	var lines strings.Builder
	var names []string
	for _, th := range ths {
		names = append(names, th.FullName)
		data, err := json.Marshal(th)
		if err != nil {
			t.Fatal(err)
		}
		lines.Write(append(data, '\n'))
	}
	if strings.Join(names, ",") != "Dyn.example@8,Dyn.example@11" {
		t.Fatalf("traced %v, want the two examples named by namespace and line", names)
	}
	// What extract --dynamic writes loads back, one theorem per example.
	res, err := corpus.LoadReader("traced.jsonl", strings.NewReader(lines.String()), corpus.Options{})
	if err != nil || len(res.Theorems) != 2 || res.Theorems[0].Key() == res.Theorems[1].Key() {
		t.Errorf("loading the traces back: %v, %+v", err, res)
	}
}

// A step spread over lines is recorded as Lean reads it: joined into one
// line, a calc or a focused block is no longer the same tactic (or any).
func TestTraceDynamicKeepsMultilineSteps(t *testing.T) {
	const (
		root = "p q : Prop\nhp : p\nhq : q\n⊢ p ∧ q"
		left = "p q : Prop\nhp : p\nhq : q\n⊢ p"
	)
	refine := "refine ⟨?_,\n    hq⟩"
	ths := traceFixture(t, &leanrpctest.Script{
		Theorems: map[string]string{"Dyn.two_lines": root},
		Steps: []leanrpctest.ScriptStep{
			{State: root, Tactic: refine, NewState: left},
			{State: left, Tactic: "exact hp", NewState: "no goals"},
		},
	})
	if len(ths) != 1 || len(ths[0].Steps) != 2 {
		t.Fatalf("traced %+v, want Dyn.two_lines with two steps", ths)
	}
	if got := ths[0].Steps[0].Tactic; got != refine {
		t.Errorf("first step %q, want %q", got, refine)
	}
}
