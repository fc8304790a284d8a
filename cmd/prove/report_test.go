package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"
)

func sampleRuns() []runView {
	res := func(file, name string, proved bool, secs float64, calls int, assuming ...string) theoremResult {
		return theoremResult{File: file, Theorem: name, Proved: proved, Assuming: assuming,
			Elapsed: time.Duration(secs * float64(time.Second)), ProverCalls: calls}
	}
	return []runView{
		{ID: "r1", Label: "mcts/learned", Manifest: []kv{{"seed", "1"}, {"toolchain", "leanprover/lean4:v4.24.0"}},
			Results: []theoremResult{
				res("A.lean", "a1", true, 1, 10),
				res("A.lean", "a2", false, 4, 40),
				res("B.lean", "b1", true, 2, 20),
				res("B.lean", "b2", true, 3, 30, "A.a2"), // proved only assuming a2
			}},
		{ID: "r2", Label: "bestfirst|freq", Results: []theoremResult{res("A.lean", "a1", false, 5, 50)}},
	}
}

func TestSummarize(t *testing.T) {
	s := summarize(sampleRuns()[0])
	if s.Theorems != 4 || s.Proved != 2 || s.Assuming != 1 {
		t.Fatalf("theorems/proved/assuming = %d/%d/%d, want 4/2/1", s.Theorems, s.Proved, s.Assuming)
	}
	if s.Rate != 0.5 {
		t.Errorf("rate = %v, want 0.5 (a proof that assumes an unproven theorem does not count)", s.Rate)
	}
	wantFiles := []fileSummary{{"A.lean", 2, 1, 0.5}, {"B.lean", 2, 1, 0.5}}
	if len(s.PerFile) != len(wantFiles) {
		t.Fatalf("per-file = %+v", s.PerFile)
	}
	for i, f := range wantFiles {
		if s.PerFile[i] != f {
			t.Errorf("per-file[%d] = %+v, want %+v", i, s.PerFile[i], f)
		}
	}
	if s.Seconds.P50 != 2.5 || s.Seconds.Max != 4 || s.ProverCalls.Mean != 25 {
		t.Errorf("distributions: seconds %+v calls %+v", s.Seconds, s.ProverCalls)
	}
	if len(s.SolveTimes) != 2 || s.SolveTimes[0] != 1 || s.SolveTimes[1] != 2 {
		t.Errorf("solve times = %v, want [1 2]", s.SolveTimes)
	}
}

func TestQuantile(t *testing.T) {
	tests := []struct {
		xs   []float64
		q    float64
		want float64
	}{
		{[]float64{7}, 0.9, 7},
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{0, 10}, 0.9, 9},
		{[]float64{1, 2, 3}, 1, 3},
	}
	for _, tt := range tests {
		if got := quantile(tt.xs, tt.q); got != tt.want {
			t.Errorf("quantile(%v, %v) = %v, want %v", tt.xs, tt.q, got, tt.want)
		}
	}
}

func summaries() []runSummary {
	var out []runSummary
	for _, r := range sampleRuns() {
		out = append(out, summarize(r))
	}
	return out
}

func TestReportMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := writeReportMarkdown(&b, summaries()); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"| mcts/learned | 4 | 2 | 50.0% | 1 |",
		`| bestfirst\|freq | 1 | 0 | 0.0% | 0 |`, // a pipe in a label must not split the row
		"- toolchain: leanprover/lean4:v4.24.0",
		"| B.lean | 2 | 1 | 50.0% |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "toolchain") > strings.Index(md, "seed") {
		t.Errorf("manifest not in display order (toolchain before seed):\n%s", md)
	}
	if !strings.Contains(md, "\n## mcts/learned (run r1)\n") {
		t.Errorf("a section heading lacks its run's ID:\n%s", md)
	}
	// A stored run's label names its ID already (runLabel): once is enough.
	b.Reset()
	stored := summarize(runView{ID: "run-000001", Label: "mcts frequency (run-000001)"})
	if err := writeReportMarkdown(&b, []runSummary{stored}); err != nil {
		t.Fatal(err)
	}
	if md := b.String(); !strings.Contains(md, "\n## mcts frequency (run-000001)\n") {
		t.Errorf("heading of a stored run:\n%s", md)
	}
}

func TestReportJSONRoundTrips(t *testing.T) {
	var b bytes.Buffer
	if err := writeReportJSON(&b, summaries()); err != nil {
		t.Fatal(err)
	}
	var got struct{ Runs []runSummary }
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("report JSON does not parse: %v", err)
	}
	if len(got.Runs) != 2 || got.Runs[0].Rate != 0.5 || got.Runs[0].Manifest["seed"] != "1" {
		t.Errorf("decoded report = %+v", got.Runs)
	}
}

func TestReportSVGIsWellFormed(t *testing.T) {
	var b bytes.Buffer
	if err := writeReportSVG(&b, summaries()); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&b)
	bars, lines := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "title":
				bars++ // one tooltip per bar
			case "polyline":
				lines++
			}
		}
	}
	if bars != 2 || lines != 2 {
		t.Errorf("SVG has %d bars and %d cactus lines, want 2 and 2", bars, lines)
	}
}
