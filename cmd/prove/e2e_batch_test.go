package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/internal/testenv"
)

const batchLean = `theorem one : 1 = 1 := by sorry

theorem two (n : Nat) : n + 0 = n := by sorry

theorem three : 1 = 2 := by sorry
`

const batchScript = `{
  "theorems": {"one": "⊢ 1 = 1", "two": "n : Nat\n⊢ n + 0 = n", "three": "⊢ 1 = 2"},
  "steps": [
    {"state": "⊢ 1 = 1", "tactic": "skip", "new_state": "⊢ 1 = 1"},
    {"state": "n : Nat\n⊢ n + 0 = n", "tactic": "skip", "new_state": "n : Nat\n⊢ n + 0 = n"},
    {"state": "⊢ 1 = 2", "tactic": "skip", "new_state": "⊢ 1 = 2"},
    {"state": "⊢ 1 = 1", "tactic": "rfl", "new_state": "no goals"},
    {"state": "n : Nat\n⊢ n + 0 = n", "tactic": "simp", "new_state": "no goals"}
  ]
}`

func TestBatchEndToEnd(t *testing.T) {
	dir := leanProject(t, map[string]string{"Demo.lean": batchLean, "Other/Empty.lean": "def x : Nat := 1\n"}, batchScript)
	db := filepath.Join(t.TempDir(), "runs.db")
	args := []string{"batch", "--project", dir, "--db", db, "--write", "--workers", "2", "--expansions", "10", dir}
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("batch: exit status %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "automation rate: 2/3 (66.7%)") {
		t.Errorf("batch output lacks the automation rate:\n%s", stdout)
	}
	got, err := os.ReadFile(filepath.Join(dir, "Demo.lean"))
	if err != nil {
		t.Fatal(err)
	}
	want := "theorem one : 1 = 1 := by rfl\n\ntheorem two (n : Nat) : n + 0 = n := by simp\n\ntheorem three : 1 = 2 := by sorry\n"
	if string(got) != want {
		t.Errorf("file after batch --write:\n%s\nwant:\n%s", got, want)
	}

	// The proofs became training data for expert iteration.
	st, err := corpus.Open(db, corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	learned, err := st.ProvedTraces()
	st.Close()
	if err != nil || len(learned) != 2 {
		t.Errorf("ProvedTraces = %d theorems, %v; want the 2 proofs", len(learned), err)
	}

	// The same command again finds every result stored: nothing is redone.
	// (The written theorems no longer have sorry, so rerun on a copy of the
	// original file list: the run is named by its targets.)
	if err := os.WriteFile(filepath.Join(dir, "Demo.lean"), []byte(batchLean), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, args...)
	if code != 0 || !strings.Contains(stderr, "resuming: 3 of 3 theorems already done") {
		t.Errorf("rerun: exit status %d, stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "automation rate: 2/3") {
		t.Errorf("rerun lost results:\n%s", stdout)
	}

	code, stdout, stderr = runCLI(t, "report", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("report: exit status %d, stderr:\n%s", code, stderr)
	}
	var rep struct{ Runs []runSummary }
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, stdout)
	}
	if len(rep.Runs) != 1 || rep.Runs[0].Proved != 2 || rep.Runs[0].Theorems != 3 ||
		rep.Runs[0].Manifest["toolchain"] != "leanprover/lean4:v4.24.0" || rep.Runs[0].Manifest["policy"] != "portfolio" {
		t.Errorf("report = %+v", rep.Runs)
	}
}

func TestBatchInputErrors(t *testing.T) {
	dir := leanProject(t, map[string]string{"Demo.lean": "def x : Nat := 1\n"}, batchScript)
	other := t.TempDir()
	testenv.WriteFiles(t, other, map[string]string{"Other.lean": "theorem o : True := by sorry\n"})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no paths", []string{"batch"}, "want one or more .lean files or folders"},
		{"no theorem with sorry", []string{"batch", "--project", dir, dir}, "no theorem with sorry in 1 .lean files"},
		{"missing path", []string{"batch", filepath.Join(dir, "nope")}, "nope"},
		{"file of another project", []string{"batch", "--project", dir, other}, "Other.lean: file is outside the Lake project"},
		{"bad format", []string{"batch", "--format", "xml", dir}, "--format must be md or json"},
		{"report without a store", []string{"report", "--db", filepath.Join(dir, "none.db")}, "no store at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit status %d, stderr:\n%s\nwant 2 mentioning %q", code, stderr, tt.want)
			}
		})
	}
}
