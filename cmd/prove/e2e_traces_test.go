package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/internal/testenv"
	"github.com/leanprove/leanprove/policy"
	"github.com/leanprove/leanprove/search"
)

// simpleName matches declaration names the stub project can spell as
// written (no guillemets or unicode operators).
var simpleName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_'.]*$`)

// TestFullPathOnMathlibTraces runs prove batch over real Mathlib goal
// states: the stand-in lake replays the shared LeanDojo traces, so the whole
// path (static discovery, the Lean client and documents, the search with a
// learned policy, verification, the store) sees real states. Every proof it
// reports must replay to "no goals" under the recorded semantics, and the
// rate is logged next to the in-process replay search of the same theorems.
func TestFullPathOnMathlibTraces(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a policy and runs a batch; skipped with -short")
	}
	files := testenv.SharedTraceFiles(t)
	loaded, err := corpus.LoadFiles(files, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	train, dev := corpus.Split(loaded.Theorems, 20)
	replay := corpus.NewReplay(loaded.Theorems)
	var picked []corpus.Theorem
	for _, th := range dev {
		if simpleName.MatchString(th.FullName) && len(th.Steps) > 0 && replay.Replayable(context.Background(), th) {
			picked = append(picked, th)
		}
	}
	sort.Slice(picked, func(i, j int) bool { return picked[i].FullName < picked[j].FullName })
	if len(picked) > 24 {
		picked = picked[:24]
	}

	var lean strings.Builder
	byName := map[string]corpus.Theorem{}
	for _, th := range picked {
		fmt.Fprintf(&lean, "theorem %s : True := by sorry\n\n", th.FullName)
		byName[th.FullName] = th
	}
	dir := leanProject(t, map[string]string{"Demo.lean": lean.String()}, `{"theorems":{}}`)
	t.Setenv("LEANRPCTEST_SCRIPT", "")
	t.Setenv("LEANRPCTEST_TRACES", strings.Join(files, string(os.PathListSeparator)))
	model := policy.Train(policy.ExamplesFrom(train), policy.LearnedParams{})
	if err := model.Save(filepath.Join(dir, defaultModel)); err != nil {
		t.Fatal(err)
	}

	const budget = 32
	db := filepath.Join(t.TempDir(), "runs.db")
	code, stdout, stderr := runCLI(t, "batch", "--project", dir, "--db", db, "--workers", "2", "--format", "json",
		"--expansions", fmt.Sprint(budget), "--rollout=false", "--candidates", "16", dir)
	if code != 0 {
		t.Fatalf("batch: exit status %d\n%s\n%s", code, stdout, stderr)
	}
	var rep struct{ Runs []runSummary }
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || len(rep.Runs) != 1 {
		t.Fatalf("batch report %q: %v", stdout, err)
	}
	if got := rep.Runs[0].Theorems; got != len(picked) {
		t.Fatalf("batch attempted %d theorems, want %d", got, len(picked))
	}
	if rep.Runs[0].Manifest["policy"] != "portfolio+learned:"+filepath.Join(dir, defaultModel) {
		t.Errorf("policy = %q, want the project's model mixed in", rep.Runs[0].Manifest["policy"])
	}

	st, err := corpus.Open(db, corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	results, err := st.Results(rep.Runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for key, r := range results {
		if !r.Proved {
			continue
		}
		root, _ := corpus.Root(byName[r.Theorem])
		if !provesByReplay(t, replay, root, r.Proof) {
			t.Errorf("%s: reported proof %q does not replay to no goals", key, r.Proof)
		}
	}

	// The same theorems searched in process against the replay prover.
	mix := &policy.Mixture{Policies: []search.Policy{policy.NewPortfolio(), model}}
	inProcess := 0
	for _, th := range picked {
		root, _ := corpus.Root(th)
		res, err := search.Run(context.Background(), root, replay, mix, search.Params{
			MaxExpansions: budget, CandidatesPerNode: 16, Seed: 1, InOrder: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Proved {
			inProcess++
		}
	}
	t.Logf("Mathlib dev theorems proved at %d expansions: %d/%d through prove batch and the Lean protocol, %d/%d in process against the replay prover",
		budget, rep.Runs[0].Proved, len(picked), inProcess, len(picked))
	if rep.Runs[0].Proved == 0 && inProcess > 0 {
		t.Errorf("the full path proved nothing where the in-process search proved %d", inProcess)
	}
}

func provesByReplay(t *testing.T, r *corpus.Replay, s search.State, proof []string) bool {
	t.Helper()
	for i, tac := range proof {
		st, err := r.Apply(context.Background(), s, tac)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case st.Outcome == search.OutcomeProved:
			return i == len(proof)-1
		case st.Outcome != search.OutcomeGoals:
			return false
		}
		s = st.State
	}
	return false
}
