package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// fixture names a trace file of the corpus package's tests.
func fixture(name string) string { return filepath.Join("..", "..", "corpus", "testdata", name) }

func TestCorpusImportStatsExtract(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	code, out, errs := runCLI(t, "corpus", "import", "--db", db, "--json", fixture("dojo.json"), fixture("pairs.jsonl"))
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	var sum map[string]any
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum["theorems"] != 5.0 || sum["new"] != 5.0 || sum["steps"] != 9.0 {
		t.Errorf("import summary %s (%v)", out, err)
	}
	code, out, errs = runCLI(t, "corpus", "stats", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("stats exit %d: %s", code, errs)
	}
	var st corpusStats
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Theorems != 5 || st.WithSteps != 4 || st.Steps != 9 || st.Replayable != 4 || st.TopTactics[0] != (tacticCount{"constructor", 2}) {
		t.Errorf("stats %+v", st)
	}
	code, out, _ = runCLI(t, "corpus", "stats", fixture("dojo.json"))
	if code != 0 || !strings.Contains(out, "theorems 3 (2 with steps, 2 replay to no goals)") {
		t.Errorf("text stats exit %d: %s", code, out)
	}
	// The same file twice: its theorems are counted once, and said to be
	// duplicates.
	code, out, _ = runCLI(t, "corpus", "stats", "--json", fixture("dojo.json"), fixture("dojo.json"))
	st = corpusStats{}
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st.Theorems != 3 || st.Steps != 5 || st.Duplicates != 3 {
		t.Errorf("stats of a file given twice: exit %d, %+v (%v)", code, st, err)
	}
	code, out, errs = runCLI(t, "corpus", "extract", filepath.Join("..", "..", "corpus", "testdata", "lean"))
	if code != 0 || strings.Count(out, "\n") != 4 || !strings.Contains(out, `"full_name":"Demo.and_swap"`) {
		t.Errorf("extract exit %d: %s %s", code, out, errs)
	}
}

func TestCorpusUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		code    int
		mention string
	}{
		{[]string{"corpus"}, 2, "subcommand"},
		{[]string{"corpus", "frobnicate"}, 2, "frobnicate"},
		{[]string{"corpus", "import", "--db", filepath.Join(t.TempDir(), "x.db")}, 2, "needs trace files"},
		{[]string{"corpus", "stats"}, 2, "needs trace files"},
		{[]string{"corpus", "stats", fixture("bad.json")}, 2, "record 1 (Bad.missing_state)"},
		{[]string{"corpus", "stats", "--skip-bad", fixture("bad.json")}, 0, ""},
		{[]string{"corpus", "extract"}, 2, "needs .lean files"},
		{[]string{"corpus", "stats", "--top", "-1", fixture("dojo.json")}, 2, "--top"},
		// Flags after the names are flags, not files.
		{[]string{"corpus", "import", fixture("dojo.json"), "--db", filepath.Join(t.TempDir(), "y.db")}, 0, ""},
		{[]string{"corpus", "stats", fixture("dojo.json"), "--top", "-1"}, 2, "--top"},
		{[]string{"corpus", "stats", "--", "--json"}, 2, "--json"}, // after --, a name
		{[]string{"corpus", "extract", "--dynamic", fixture("lean")}, 2, "--project"},
		{[]string{"corpus", "extract", "--dynamic", "--project", t.TempDir(), fixture("lean")}, 2, "lake"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.mention) {
			t.Errorf("%v: exit %d stderr %q; want %d mentioning %q", tt.args, code, errs, tt.code, tt.mention)
		}
	}
}
