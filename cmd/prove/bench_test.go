package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/corpus"
)

func TestBenchRediscoversFixtureProofs(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	if code, _, errs := runCLI(t, "policy", "train", "--traces", fixture("dojo.json"), "--split", "all", "--out", model); code != 0 {
		t.Fatal(errs)
	}
	for _, mode := range []string{"mcts", "bestfirst"} {
		db := filepath.Join(t.TempDir(), "b.db")
		code, out, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "learned:"+model,
			"--budget", "16", "--mode", mode, "--json", "--verbose", "--db", db)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", mode, code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 {
			t.Fatalf("%s: want 2 theorem lines and a summary, got %q", mode, out)
		}
		var rep benchReport
		if err := json.Unmarshal([]byte(lines[2]), &rep); err != nil {
			t.Fatal(err)
		}
		// Both fixture theorems are in the model's memory: both are found.
		if rep.Theorems != 2 || rep.Proved != 2 || rep.Rate != 1 || rep.Replayable != 2 || rep.Mode != mode {
			t.Errorf("%s: report %+v", mode, rep)
		}
		var line benchLine
		if err := json.Unmarshal([]byte(lines[1]), &line); err != nil || line.Theorem != "Bar.and_swap" || !line.Proved ||
			strings.Join(line.Proof, "; ") != "constructor; exact hq; exact hp" {
			t.Errorf("%s: theorem line %+v (%v)", mode, line, err)
		}
		st, err := corpus.Open(db, corpus.StoreOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := st.Results(rep.RunID)
		st.Close()
		if err != nil || len(res) != 2 || !res["Mathlib/Bar.lean:Bar.and_swap"].Proved {
			t.Errorf("%s: stored results %+v %v", mode, res, err)
		}
		// Expert iteration: the found proofs become training data.
		code, out, errs = runCLI(t, "policy", "train", "--from-db", db, "--split", "all", "--out", filepath.Join(t.TempDir(), "m2"), "--json")
		if code != 0 || !strings.Contains(out, `"from_db":5`) {
			t.Errorf("%s: train --from-db exit %d: %s %s", mode, code, out, errs)
		}
		// The split applies to the store as well: Bar.and_swap (3 steps) is
		// a dev theorem at the default 20%, so only Foo.add_zero' (2) is
		// learned, and 'policy eval' on dev never scores trained-on proofs.
		for split, want := range map[string]string{"": `"from_db":2`, "train": `"from_db":2`, "dev": `"from_db":3`} {
			args := []string{"policy", "train", "--from-db", db, "--out", filepath.Join(t.TempDir(), "m3"), "--json"}
			if split != "" {
				args = append(args, "--split", split)
			}
			code, out, errs = runCLI(t, args...)
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("%s: train --from-db --split %q: exit %d: %s %s; want %s", mode, split, code, out, errs, want)
			}
		}
	}
}

func TestBenchFrequencyNeedsTheRightTactics(t *testing.T) {
	// The frequency policy offers the same tactics everywhere; "intro n"
	// and "simp [Nat.add_zero]" are each used once, so with one candidate
	// per node neither theorem can be rediscovered. Widening asks for 2, 4
	// and 8 where all failed, which reaches every tactic of the traces.
	tests := []struct {
		widenings int
		proved    int
	}{
		{0, 0},
		{3, 2},
	}
	for _, tt := range tests {
		code, out, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "frequency",
			"--candidates", "1", "--widenings", strconv.Itoa(tt.widenings), "--json")
		if code != 0 {
			t.Fatalf("--widenings %d: exit %d: %s", tt.widenings, code, errs)
		}
		var rep benchReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Theorems != 2 || rep.Proved != tt.proved || rep.Widenings != tt.widenings {
			t.Errorf("--widenings %d: report %+v, want %d proved", tt.widenings, rep, tt.proved)
		}
	}
}

func TestBenchUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		mention string
	}{
		{[]string{"bench"}, "--traces"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--mode", "dfs"}, "--mode"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--budget", "0"}, "--budget"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--workers", "0"}, "--workers"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--policy", "llm:nourl"}, "llm:MODEL@URL"},
		{[]string{"bench", "--traces", fixture("nope.json")}, "nope.json"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--limit", "-1"}, "--limit"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--widenings", "-1"}, "--widenings"},
		// No theorem to measure is an input error, not a rate of 0.
		{[]string{"bench", "--traces", fixture("dojo.json"), "--split", "dev", "--dev-percent", "0"}, "no theorem with recorded steps in the dev part"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--traces", fixture("bad.json")}, "bad.json: record 1"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(t, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.mention) {
			t.Errorf("%v: exit %d stderr %q; want 2 mentioning %q", tt.args, code, errs, tt.mention)
		}
	}
	// Under --split all there is no other part to try.
	noSteps := filepath.Join(t.TempDir(), "nosteps.json")
	if err := os.WriteFile(noSteps, []byte(`[{"full_name": "A.term", "file_path": "A.lean", "traced_tactics": []}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "bench", "--traces", noSteps, "--split", "all")
	if code != 2 || !strings.Contains(errs, "no theorem in "+noSteps+" has recorded steps") || strings.Contains(errs, "try --split all") {
		t.Errorf("no steps under --split all: exit %d stderr %q; want 2, naming the file and suggesting no other split", code, errs)
	}
}
