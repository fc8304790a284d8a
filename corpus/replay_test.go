package corpus_test

import (
	"context"
	"path/filepath"
	"strings"
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

// A proof that splits into goals is recorded with each focused goal as the
// whole state (LeanDojo traces the steps under "·" that way). Lean runs a
// tactic on the main goal and keeps the others after its result; so does
// Replay, or no such proof would replay and bench's ceiling would leave out
// every proof with a case split.
func TestReplayFocusesOnTheMainGoal(t *testing.T) {
	const (
		root = "h : p ∨ q\n⊢ r"
		inl  = "case inl\nh : p\n⊢ r"
		inr  = "case inr\nh : q\n⊢ r"
	)
	th := corpus.Theorem{FullName: "T.cases", Steps: []corpus.Step{
		{Tactic: "rcases h with h | h", StateBefore: root, StateAfter: inl + "\n\n" + inr},
		{Tactic: "exact f h", StateBefore: inl, StateAfter: "no goals"},
		{Tactic: "apply g", StateBefore: inr, StateAfter: "case inr\nh : q\n⊢ s"},
		{Tactic: "exact k h", StateBefore: "case inr\nh : q\n⊢ s", StateAfter: "no goals"},
	}}
	r := corpus.NewReplay([]corpus.Theorem{th})
	both := corpus.ParseState(inl + "\n\n" + inr)
	tests := []struct {
		name    string
		state   search.State
		tactic  string
		outcome search.Outcome
		goals   []string
		message string
	}{
		{"closes the main goal, the other stays", both, "exact f h", search.OutcomeGoals, []string{inr}, ""},
		{"main goal's result goes first", corpus.ParseState(inr + "\n\n" + inl), "apply g", search.OutcomeGoals,
			[]string{"case inr\nh : q\n⊢ s", inl}, ""},
		{"the second goal is not the main one", both, "apply g", search.OutcomeError, nil, "not recorded in this state"},
		{"main goal unrecorded", corpus.ParseState("⊢ False\n\n" + inr), "exact f h", search.OutcomeError, nil, "state not in any recorded proof"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := r.Apply(context.Background(), tt.state, tt.tactic)
			if err != nil {
				t.Fatal(err)
			}
			if st.Outcome != tt.outcome || strings.Join(st.State.Goals, "|") != strings.Join(tt.goals, "|") ||
				!strings.Contains(st.Message, tt.message) {
				t.Errorf("got %v %q (%q), want %v %q (%q)", st.Outcome, st.State.Goals, st.Message, tt.outcome, tt.goals, tt.message)
			}
		})
	}
	if !r.Replayable(context.Background(), th) {
		t.Error("the recorded proof does not replay")
	}
	// The caller may not alias the state it passed in.
	st, _ := r.Apply(context.Background(), both, "exact f h")
	st.State.Goals[0] = "changed"
	if both.Goals[1] != inr {
		t.Error("Apply aliased the caller's goals")
	}
}
