package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPolicyTrainAndEval(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	// --split all: the fixtures are too small to split.
	code, out, errs := runCLI(t, "policy", "train", "--traces", fixture("dojo.json"), "--traces", fixture("pairs.jsonl"), "--split", "all", "--out", model, "--json")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"examples":9`) {
		t.Errorf("train summary %s", out)
	}
	for _, spec := range []string{"frequency", "learned:" + model, "learned:" + model + "+frequency"} {
		code, out, errs = runCLI(t, "policy", "eval", "--policy", spec, "--traces", fixture("dojo.json"), "--split", "all", "--json")
		if code != 0 {
			t.Fatalf("%s: eval exit %d: %s", spec, code, errs)
		}
		var rep map[string]any
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%s: %v in %q", spec, err, out)
		}
		top1, top10 := rep["top1"].(float64), rep["top10"].(float64)
		if rep["n"] != 5.0 || top1 < 0 || top1 > top10 || top10 > 1 {
			t.Errorf("%s: report %v", spec, rep)
		}
		// Every evaluated state is in the model's memory, so the model's
		// first candidate is right; in a mixture fused by rank it shares
		// first place with the frequency list's.
		switch {
		case spec == "learned:"+model && top1 != 1:
			t.Errorf("%s: top1 %v on its own training data, want 1", spec, top1)
		case strings.HasPrefix(spec, "learned") && top10 != 1:
			t.Errorf("%s: top10 %v on its own training data, want 1", spec, top10)
		}
	}
}

// TestPolicyEvalCeiling checks --ceiling: evaluated on its own training
// data, every tactic's names and shape are known.
func TestPolicyEvalCeiling(t *testing.T) {
	code, out, errs := runCLI(t, "policy", "eval", "--policy", "frequency", "--traces", fixture("dojo.json"), "--split", "all", "--ceiling", "--json")
	if code != 0 {
		t.Fatalf("eval exit %d: %s", code, errs)
	}
	var rep struct {
		Ceiling *struct {
			N         int     `json:"n"`
			Reachable float64 `json:"reachable"`
		} `json:"ceiling"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if rep.Ceiling == nil || rep.Ceiling.N != 5 || rep.Ceiling.Reachable != 1 {
		t.Errorf("ceiling %+v in %s, want n 5 and all reachable", rep.Ceiling, out)
	}
	code, out, _ = runCLI(t, "policy", "eval", "--policy", "frequency", "--traces", fixture("dojo.json"), "--split", "all", "--ceiling")
	if code != 0 || !strings.Contains(out, "ceiling: names known 100.0%, shape known 100.0%, both 100.0%") {
		t.Errorf("text report (exit %d): %q", code, out)
	}
}

func TestPolicyUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args    []string
		mention string
	}{
		{[]string{"policy"}, "subcommand"},
		{[]string{"policy", "train", "--traces", fixture("dojo.json")}, "--out"},
		{[]string{"policy", "train", "--out", filepath.Join(dir, "m")}, "--traces"},
		{[]string{"policy", "train", "--traces", fixture("dojo.json"), "--out", filepath.Join(dir, "m"), "--sample-percent", "0"}, "--sample-percent"},
		{[]string{"policy", "eval", "--traces", fixture("dojo.json")}, "--policy"},
		{[]string{"policy", "eval", "--policy", "magic", "--traces", fixture("dojo.json")}, "unknown policy"},
		{[]string{"policy", "eval", "--policy", "frequency"}, "--traces"},
		{[]string{"policy", "eval", "--policy", "frequency", "--traces", fixture("dojo.json"), "--llm-timeout", "0s"}, "--llm-timeout"},
		// NaN passes a "< 0" check and then fails every request's JSON.
		{[]string{"policy", "eval", "--policy", "frequency", "--traces", fixture("dojo.json"), "--llm-temperature", "NaN"}, "--llm-temperature"},
		{[]string{"policy", "eval", "--policy", "frequency", "--traces", fixture("dojo.json"), "--llm-temperature", "+Inf"}, "--llm-temperature"},
		{[]string{"policy", "eval", "--policy", "frequency", "--traces", fixture("dojo.json"), "--split", "half"}, "--split"},
		{[]string{"policy", "eval", "--policy", "learned:" + filepath.Join(dir, "none"), "--traces", fixture("dojo.json")}, "none"},
		// No step to score is an input error, not an accuracy of 0.
		{[]string{"policy", "eval", "--policy", "portfolio", "--traces", fixture("dojo.json"), "--dev-percent", "0"}, "no recorded step to evaluate in " + fixture("dojo.json") + " in the dev part"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(t, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.mention) {
			t.Errorf("%v: exit %d stderr %q; want 2 mentioning %q", tt.args, code, errs, tt.mention)
		}
	}
}

// TestPolicyEvalByHead checks --by-head: a model evaluated on its own
// training data hits every step, and the breakdown counts each head's
// steps (the fixture has two exact steps and one each of intro, simp and
// constructor).
func TestPolicyEvalByHead(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	if code, _, errs := runCLI(t, "policy", "train", "--traces", fixture("dojo.json"), "--split", "all", "--out", model); code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	args := []string{"policy", "eval", "--policy", "learned:" + model, "--traces", fixture("dojo.json"), "--split", "all", "--by-head"}
	code, out, errs := runCLI(t, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("eval exit %d: %s", code, errs)
	}
	var rep struct {
		ByHead map[string]struct {
			N    int     `json:"n"`
			Top1 float64 `json:"top1"`
		} `json:"by_head"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	wantN := map[string]int{"exact": 2, "intro": 1, "simp": 1, "constructor": 1}
	if len(rep.ByHead) != len(wantN) {
		t.Errorf("by_head %+v, want the heads %v", rep.ByHead, wantN)
	}
	for head, n := range wantN {
		if got := rep.ByHead[head]; got.N != n || got.Top1 != 1 {
			t.Errorf("by_head[%s] = %+v, want n %d and top1 1", head, got, n)
		}
	}
	code, out, _ = runCLI(t, args...)
	if code != 0 || !regexp.MustCompile(`(?m)^exact +2 +100\.0% +100\.0%$`).MatchString(out) {
		t.Errorf("text report (exit %d) has no row for exact: %q", code, out)
	}
}

// TestPolicyEvalRecallCurve: with --k above 10 the text report adds the
// recall at the cutoffs a search walks along, up to k.
func TestPolicyEvalRecallCurve(t *testing.T) {
	code, out, errs := runCLI(t, "policy", "eval", "--policy", "frequency", "--traces", fixture("dojo.json"), "--split", "all", "--k", "20")
	if code != 0 {
		t.Fatalf("eval exit %d: %s", code, errs)
	}
	// Five steps, five distinct tactics: all are among the first 16.
	if !strings.Contains(out, "recall @1 ") || !strings.Contains(out, "@16 100.0%, @20 100.0%") || strings.Contains(out, "@32") {
		t.Errorf("text report: %q", out)
	}
}

// TestPolicyTrainSample: --sample-percent trains on a nested hash sample of
// the selected theorems, for learning curves.
func TestPolicyTrainSample(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	examples := func(percent string) float64 {
		t.Helper()
		code, out, errs := runCLI(t, "policy", "train", "--traces", fixture("dojo.json"), "--traces", fixture("pairs.jsonl"),
			"--split", "all", "--out", model, "--sample-percent", percent, "--json")
		if code != 0 {
			t.Fatalf("--sample-percent %s: exit %d: %s", percent, code, errs)
		}
		var sum map[string]any
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatal(err)
		}
		return sum["examples"].(float64)
	}
	// The fixtures' 9 steps, and the steps of the theorems the name hash
	// puts in the 50% and 80% samples.
	if half, most, all := examples("50"), examples("80"), examples("100"); half != 2 || most != 6 || all != 9 {
		t.Errorf("examples at 50/80/100%%: %v/%v/%v, want 2/6/9", half, most, all)
	}
}
