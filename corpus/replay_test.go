package corpus_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

func loadFixture(t *testing.T, name string) []corpus.Theorem {
	t.Helper()
	res, err := corpus.Load(filepath.Join("testdata", name), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Theorems
}

func TestReplayApply(t *testing.T) {
	ths := loadFixture(t, "dojo.json")
	r := corpus.NewReplay(ths)
	root, ok := corpus.Root(ths[0])
	if !ok {
		t.Fatal("no root")
	}
	ctx := context.Background()
	tests := []struct {
		name    string
		state   search.State
		tactic  string
		outcome search.Outcome
		goals   int
	}{
		{"recorded", root, "intro n", search.OutcomeGoals, 1},
		{"extra whitespace", root, "  intro\t n ", search.OutcomeGoals, 1},
		{"not recorded here", root, "simp", search.OutcomeError, 0},
		{"different name", root, "intro m", search.OutcomeError, 0},
		{"closes", corpus.ParseState("n : ℕ\n⊢ n + 0 = n"), "simp [Nat.add_zero]", search.OutcomeProved, 0},
		{"rewrapped state", corpus.ParseState("n :   ℕ\n⊢ n +\n    0 = n"), "simp [Nat.add_zero]", search.OutcomeProved, 0},
		{"unknown state", corpus.ParseState("⊢ False"), "simp", search.OutcomeError, 0},
		{"two goals", corpus.ParseState(ths[2].Steps[1].StateBefore), "exact hq", search.OutcomeGoals, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := r.Apply(ctx, tt.state, tt.tactic)
			if err != nil {
				t.Fatal(err)
			}
			if st.Outcome != tt.outcome || len(st.State.Goals) != tt.goals {
				t.Errorf("got %v with %d goals (%q), want %v with %d", st.Outcome, len(st.State.Goals), st.Message, tt.outcome, tt.goals)
			}
			if st.Outcome == search.OutcomeError && st.Message == "" {
				t.Error("error without message")
			}
		})
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r.Apply(cctx, root, "intro n"); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestParseState(t *testing.T) {
	s := corpus.ParseState("case a\nx : ℕ\n⊢ x = x\n\ncase b\n⊢ True\n")
	if len(s.Goals) != 2 || s.Goals[1] != "case b\n⊢ True" {
		t.Errorf("goals %q", s.Goals)
	}
	if g := corpus.ParseState("no goals").Goals; len(g) != 0 {
		t.Errorf("no goals parsed as %q", g)
	}
	if corpus.TextKey("⊢ a\n\n⊢ b") == corpus.TextKey("⊢ b\n\n⊢ a") {
		t.Error("goal order must matter")
	}
	if corpus.TextKey("h : p\n⊢ q") == corpus.TextKey("h' : p\n⊢ q") {
		t.Error("names must matter")
	}
}

func TestReplayable(t *testing.T) {
	ths := loadFixture(t, "dojo.json")
	r := corpus.NewReplay(ths)
	for _, th := range ths {
		want := len(th.Steps) > 0
		if got := r.Replayable(context.Background(), th); got != want {
			t.Errorf("%s replayable %v, want %v", th.FullName, got, want)
		}
	}
}

func TestSharedTracesReplayable(t *testing.T) {
	dir := sharedTraces(t)
	res, err := corpus.LoadFiles([]string{
		filepath.Join(dir, "mathlib-f8b56ceb-random-val.json"),
		filepath.Join(dir, "mathlib-29dcec07-random-train-sample.json"),
	}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := corpus.NewReplay(res.Theorems)
	with, ok := 0, 0
	for _, th := range res.Theorems {
		if len(th.Steps) == 0 {
			continue
		}
		with++
		if r.Replayable(context.Background(), th) {
			ok++
		}
	}
	t.Logf("%d of %d theorems with steps replay to no goals", ok, with)
	if ok < with/2 {
		t.Errorf("only %d of %d recorded proofs replay; state keys or parsing are wrong", ok, with)
	}
}
