package leanrpctest_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leanprove/leanprove/internal/testenv"
	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/leanrpc/leanrpctest"
)

func TestTracesFixture(t *testing.T) {
	tr, err := leanrpctest.LoadTraces(filepath.Join("testdata", "traces.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.Theorems(); !reflect.DeepEqual(got, []string{"Nat.demo_add_zero"}) {
		t.Errorf("theorems = %q (records without steps have no initial state)", got)
	}
	conn, _ := leanrpctest.NewPipe(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Semantics: tr}})
	s := leanrpc.NewSession(conn, leanrpc.SessionConfig{Theorem: leanrpc.Theorem{
		Name: "Nat.demo_add_zero", Context: "import Mathlib\n\n", Signature: "theorem Nat.demo_add_zero (n : ℕ) : n + 0 = n"}})
	ctx := context.Background()
	out, err := s.Apply(ctx, nil, "skip")
	if err != nil || out.Kind != leanrpc.Goals || !reflect.DeepEqual(out.Goals, []string{"n : ℕ\n⊢ n + 0 = n"}) {
		t.Fatalf("skip = %+v, %v; want the statement's goal", out, err)
	}
	out, err = s.Apply(ctx, nil, "induction n")
	if err != nil || out.Kind != leanrpc.Goals || len(out.Goals) != 2 || !strings.HasPrefix(out.Goals[1], "case succ") {
		t.Fatalf("induction n = %+v, %v", out, err)
	}
	out, err = s.Apply(ctx, []string{"induction n", "· rfl"}, "· rfl")
	if err != nil || out.Kind != leanrpc.Proved {
		t.Fatalf("replayed proof = %+v, %v", out, err)
	}
	out, err = s.Apply(ctx, nil, "simp")
	if err != nil || out.Kind != leanrpc.Error {
		t.Fatalf("unrecorded tactic = %+v, %v; want an error", out, err)
	}
}

// TestReplayRealTraces drives real Mathlib goal states through the whole
// client path: each recorded proof whose steps form one linear sequence is
// replayed tactic by tactic, and every intermediate state must be the
// recorded one.
func TestReplayRealTraces(t *testing.T) {
	path := filepath.Join(testenv.SharedTraces(t), "mathlib-29dcec07-random-train-sample.json")
	tr, err := leanrpctest.LoadTraces(path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []struct {
		FullName string `json:"full_name"`
		Steps    []struct {
			Tactic string `json:"tactic"`
			Before string `json:"state_before"`
			After  string `json:"state_after"`
		} `json:"traced_tactics"`
	}
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	conn, _ := leanrpctest.NewPipe(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Semantics: tr}})
	ctx := context.Background()
	replayed := 0
	for _, r := range recs {
		if replayed == 25 {
			break
		}
		// Linear proofs only: each step starts where the previous ended,
		// and every tactic is one safe line.
		linear := len(r.Steps) > 0 && r.Steps[len(r.Steps)-1].After == "no goals"
		for i, st := range r.Steps {
			if i > 0 && st.Before != r.Steps[i-1].After {
				linear = false
			}
			if clean, err := leanrpc.SanitizeTactic(st.Tactic, leanrpc.SanitizeOptions{}); err != nil || clean != st.Tactic {
				linear = false
			}
		}
		if !linear || strings.ContainsAny(r.FullName, "«»") {
			continue
		}
		replayed++
		s := leanrpc.NewSession(conn, leanrpc.SessionConfig{ApplyTimeout: 10 * time.Second, Theorem: leanrpc.Theorem{
			Name: r.FullName, Context: "import Mathlib\n\n", Signature: "theorem " + r.FullName + " : True"}})
		var trace []string
		for i, st := range r.Steps {
			out, err := s.Apply(ctx, trace, st.Tactic)
			if err != nil {
				t.Fatalf("%s step %d: %v", r.FullName, i, err)
			}
			if st.After == "no goals" {
				if out.Kind != leanrpc.Proved {
					t.Errorf("%s step %d %q = %+v, want proved", r.FullName, i, st.Tactic, out)
				}
				break
			}
			if out.Kind != leanrpc.Goals || strings.Join(out.Goals, "\n\n") != st.After {
				t.Errorf("%s step %d %q = %+v, want %q", r.FullName, i, st.Tactic, out, st.After)
				break
			}
			trace = append(trace, st.Tactic)
		}
		_ = s.Close(ctx)
	}
	if replayed == 0 {
		t.Fatal("no linear proof found in the traces")
	}
	t.Logf("replayed %d recorded proofs through the client and the fake server", replayed)
}

// TestTracesMainGoal: LeanDojo records the steps under a focusing dot
// with the focused goal as the whole state; as in corpus.Replay, such a
// step applies to the first goal of a state of several, and the others
// follow its result.
func TestTracesMainGoal(t *testing.T) {
	tr, err := leanrpctest.LoadTraces(filepath.Join("testdata", "traces_focus.json"))
	if err != nil {
		t.Fatal(err)
	}
	left, right := "case left\np : Prop\nhp : p\n⊢ p", "case right\np : Prop\nhp : p\n⊢ p"
	tests := []struct {
		name   string
		goals  []string
		tactic string
		want   leanrpctest.Result
	}{
		{"the recorded state", []string{"p : Prop\nhp : p\n⊢ p ∧ p"}, "constructor", leanrpctest.Result{Goals: []string{left, right}}},
		{"the main goal of two", []string{left, right}, "exact hp", leanrpctest.Result{Goals: []string{right}}},
		{"the last goal", []string{right}, "exact hp", leanrpctest.Result{}},
		{"not recorded on the main goal", []string{left, right}, "simp", leanrpctest.Result{Error: "tactic failed (no recorded proof applies it in this state)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tr.Step(tt.goals, tt.tactic); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Step(%q, %q) = %+v, want %+v", tt.goals, tt.tactic, got, tt.want)
			}
		})
	}
}
