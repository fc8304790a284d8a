package corpus_test

import (
	"context"
	"path/filepath"
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
