package leanrpc

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readGolden decodes the JSON values of a recorded example from lean-lsp.md
// §11 (copied verbatim to testdata/golden; pretty-printed by Lean's test
// runner, which JSON decoding does not mind).
func readGolden(t *testing.T, name string) []json.RawMessage {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "golden", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	var out []json.RawMessage
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, v)
	}
}

func decodeInto[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return v
}

func TestGoldenPlainGoal(t *testing.T) {
	tests := []struct {
		file  string
		index int // which params/result pair
		pos   Position
		goals []string // nil with null: result is null
		null  bool
	}{
		{"E1", 0, Position{0, 20}, []string{"α : Sort ?u\n⊢ α → α"}, false},
		{"E2", 0, Position{3, 2}, []string{"α : Sort ?u\n⊢ α → α"}, false},
		{"E2", 1, Position{3, 3}, []string{"α : Sort ?u\na : α\n⊢ α"}, false},
		{"E3", 0, Position{27, 9}, []string{"n m : Nat\nh1 : n = m\nh2 : m = 0\n⊢ 0 = m"}, false},
		{"E3", 1, Position{27, 13}, []string{}, false},
		{"E4", 0, Position{40, 3}, []string{"case zero\n⊢ 0 + Nat.zero = Nat.zero",
			"case succ\nn✝ : Nat\nn_ih✝ : 0 + n✝ = n✝\n⊢ 0 + Nat.succ n✝ = Nat.succ n✝"}, false},
		{"E5", 0, Position{89, 39}, nil, true},
		{"E6", 0, Position{97, 8}, []string{"| True = True"}, false},
	}
	for _, tt := range tests {
		vals := readGolden(t, tt.file)
		params := decodeInto[PlainGoalParams](t, vals[2*tt.index])
		if params.Position != tt.pos || !strings.HasPrefix(params.TextDocument.URI, "file:///plainGoal.lean") {
			t.Errorf("%s params = %+v, want position %+v", tt.file, params, tt.pos)
		}
		res := decodeInto[*PlainGoal](t, vals[2*tt.index+1])
		if tt.null {
			if res != nil {
				t.Errorf("%s result = %+v, want null", tt.file, res)
			}
			continue
		}
		if res == nil || !reflect.DeepEqual(res.Goals, tt.goals) {
			t.Errorf("%s result = %+v, want goals %q", tt.file, res, tt.goals)
			continue
		}
		// rendered: "no goals", or each goal in a lean fence, joined by ---.
		want := "no goals"
		if len(tt.goals) > 0 {
			var blocks []string
			for _, g := range tt.goals {
				blocks = append(blocks, "```lean\n"+g+"\n```")
			}
			want = strings.Join(blocks, "\n---\n")
		}
		if res.Rendered != want {
			t.Errorf("%s rendered = %q, want %q", tt.file, res.Rendered, want)
		}
	}
}

func TestGoldenPlainTermGoal(t *testing.T) {
	vals := readGolden(t, "E7")
	res := decodeInto[struct {
		Range Range  `json:"range"`
		Goal  string `json:"goal"`
	}](t, vals[1])
	if res.Goal != "⊢ 0 < 2" || res.Range != (Range{Position{2, 2}, Position{2, 51}}) {
		t.Errorf("E7 = %+v", res)
	}
}

// TestGoldenDiagnosticsClassify classifies the recorded diagnostics with a
// layout that puts the proof's "by" where the recorded file has it.
func TestGoldenDiagnosticsClassify(t *testing.T) {
	tests := []struct {
		file    string
		version int
		lay     layout
		kind    OutcomeKind
		message string
		goals   []string
	}{
		// introN fails inside a have; the outer block's unsolved goals is ours.
		{"E8", 3, layout{byPos: Position{2, 22}, steps: [][2]int{{3, 3}, {4, 4}}}, Error, "tactic 'introN' failed", nil},
		{"E9", 1, layout{byPos: Position{0, 0}, steps: [][2]int{{1, 1}}}, Invalid, "unexpected token '/-!'", nil},
		{"E10", 1, layout{byPos: Position{3, 9}, steps: [][2]int{{2, 2}}}, Error, "unknown identifier 'no'", nil},
		{"E11", 1, layout{byPos: Position{1, 20}, steps: [][2]int{{2, 2}}}, Error, "tactic 'rewrite' failed", nil},
		// unsolved goals at `done`, not at our by: a failure.
		{"E12", 1, layout{byPos: Position{2, 30}, steps: [][2]int{{3, 3}}}, Error, "unsolved goals\ncase zero", nil},
		// the same diagnostic at our own by: goals remain.
		{"E12", 1, layout{byPos: Position{3, 12}, steps: [][2]int{{3, 3}}}, Goals, "", []string{"case zero\n⊢ True"}},
		// superfluous tactics after the goals were closed; the last one is blamed.
		{"E13", 2, layout{byPos: Position{2, 6}, steps: [][2]int{{3, 3}, {4, 4}}}, Error, "no goals to be solved", nil},
		{"E14", 2, layout{byPos: Position{2, 20}, steps: [][2]int{{3, 3}}}, Error, "unknown identifier 'noSuchTheorem'", nil},
		{"E16", 2, layout{byPos: Position{1, 40}, steps: [][2]int{{2, 2}}}, Error, "declaration uses 'sorry'", nil},
		// nested have … := by fails to close: an error even though ours is open too.
		{"E17", 1, layout{byPos: Position{1, 24}, steps: [][2]int{{2, 6}}}, Error, "unsolved goals\n⊢ True", nil},
		{"E18", 1, layout{declLine: 7, byPos: Position{7, 25}, steps: [][2]int{{7, 7}}}, Proved, "", nil},
		{"E19", 2, layout{byPos: Position{1, 20}, steps: [][2]int{{2, 2}}}, Proved, "", nil},
	}
	for _, tt := range tests {
		vals := readGolden(t, tt.file)
		p := decodeInto[PublishDiagnosticsParams](t, vals[len(vals)-1])
		if p.Version == nil || *p.Version != tt.version || !strings.HasPrefix(p.URI, "file:///") {
			t.Errorf("%s: uri %q version %v, want %d", tt.file, p.URI, p.Version, tt.version)
		}
		c := classify(p.Diagnostics, tt.lay)
		if c.outcome.Kind != tt.kind || !strings.Contains(c.outcome.Message, tt.message) ||
			(tt.goals != nil && !reflect.DeepEqual(c.outcome.Goals, tt.goals)) {
			t.Errorf("%s: classify = %+v, want %v %q %q", tt.file, c.outcome, tt.kind, tt.message, tt.goals)
		}
	}
}

func TestGoldenDiagnosticFields(t *testing.T) {
	e8 := decodeInto[PublishDiagnosticsParams](t, readGolden(t, "E8")[0])
	unsolved := e8.Diagnostics[1]
	if !unsolved.IsUnsolvedGoals() || !unsolved.HasLeanTag(LeanTagUnsolvedGoals) || unsolved.Source != "Lean 4" {
		t.Errorf("E8 unsolved goals not recognized: %+v", unsolved)
	}
	// range is truncated after the first line; fullRange is the real extent.
	if unsolved.Range.End != (Position{3, 0}) || unsolved.Span().End != (Position{10, 11}) {
		t.Errorf("E8 range %+v / span %+v", unsolved.Range, unsolved.Span())
	}
	e18 := decodeInto[PublishDiagnosticsParams](t, readGolden(t, "E18")[0])
	for _, d := range e18.Diagnostics {
		if !d.IsSilent || !d.HasLeanTag(LeanTagGoalsAccomplished) || d.Severity != SeverityInformation || d.Message != "Goals accomplished!" {
			t.Errorf("E18 diagnostic %+v", d)
		}
	}
	e16 := decodeInto[PublishDiagnosticsParams](t, readGolden(t, "E16")[0])
	if !e16.Diagnostics[0].IsSorryWarning() {
		t.Errorf("E16 sorry warning not recognized")
	}
	if !decodeInto[PublishDiagnosticsParams](t, readGolden(t, "E9")[0]).Diagnostics[0].IsParseError() {
		t.Errorf("E9 parse error not recognized")
	}
	e19 := decodeInto[PublishDiagnosticsParams](t, readGolden(t, "E19")[0])
	if e19.Diagnostics == nil || len(e19.Diagnostics) != 0 {
		t.Errorf("E19 = %+v, want an empty (not absent) list", e19)
	}
	e21 := readGolden(t, "E21")
	change := decodeInto[DidChangeParams](t, e21[0])
	if change.TextDocument.Version != 2 || len(change.ContentChanges) != 1 || change.ContentChanges[0].Text != "s" ||
		*change.ContentChanges[0].Range != (Range{Position{1, 10}, Position{1, 11}}) {
		t.Errorf("E21 didChange = %+v", change)
	}
	hover := decodeInto[struct {
		Contents struct{ Kind, Value string } `json:"contents"`
	}](t, readGolden(t, "E22")[1])
	if hover.Contents.Kind != "markdown" || !strings.Contains(hover.Contents.Value, "True.intro : True") {
		t.Errorf("E22 hover = %+v", hover)
	}
}

func TestTimeoutMessagesOfEveryVersion(t *testing.T) {
	for _, msg := range []string{
		"(deterministic) timeout at 'whnf', maximum number of heartbeats (200000) has been reached (use 'set_option maxHeartbeats <num>' to set the limit)",
		"(deterministic) timeout at `whnf`, maximum number of heartbeats (200000) has been reached\nuse `set_option maxHeartbeats <num>` to set the limit\nuse `set_option diagnostics true` to get diagnostic information",
		"(deterministic) timeout at `elaborator`, maximum number of heartbeats (200000) has been reached\n\nNote: Use `set_option maxHeartbeats <num>` to set the limit.",
		"(kernel) deterministic timeout",
		"Tactic `simp` failed with a nested error:\n(deterministic) timeout at `isDefEq`, maximum number of heartbeats (400000) has been reached",
	} {
		d := Diagnostic{Severity: SeverityError, Message: msg, Range: Range{Position{2, 2}, Position{2, 6}}}
		c := classify([]Diagnostic{d}, layout{byPos: Position{1, 30}, steps: [][2]int{{2, 2}}})
		if c.outcome.Kind != Timeout {
			t.Errorf("%q classified %v, want timeout", msg, c.outcome.Kind)
		}
	}
}

func TestJudgeAxioms(t *testing.T) {
	lay := layout{declLine: 2, byPos: Position{2, 20}, steps: [][2]int{{3, 3}}, printLine: 5}
	info := func(msg string) Diagnostic {
		return Diagnostic{Severity: SeverityInformation, Message: msg, Range: Range{Position{5, 0}, Position{5, 20}}}
	}
	th := Theorem{Name: "foo", SorryDeps: []string{"A.helper", "A.other"}}
	tests := []struct {
		diags   []Diagnostic
		proof   []string
		status  VerdictStatus
		assumes []string
	}{
		{[]Diagnostic{info("'A.foo' does not depend on any axioms")}, []string{"omega"}, Verified, nil},
		{[]Diagnostic{info("'A.foo' depends on axioms: [propext, Classical.choice, Quot.sound]")}, []string{"simp"}, Verified, nil},
		{[]Diagnostic{info("'A.foo' depends on axioms: [propext,\n sorryAx]")}, []string{"exact helper n"}, VerifiedAssuming, []string{"A.helper"}},
		{[]Diagnostic{info("'A.foo' depends on axioms: [sorryAx]")}, []string{"simp"}, VerifiedAssuming, []string{"A.helper", "A.other"}},
		{[]Diagnostic{info("'A.foo' depends on axioms: [Lean.ofReduceBool]")}, []string{"native_decide"}, Rejected, nil},
		{[]Diagnostic{info("'A.foo' depends on axioms: [myAxiom]")}, []string{"exact myAxiom"}, Rejected, nil},
		{nil, []string{"simp"}, Rejected, nil},
	}
	for _, tt := range tests {
		v := judge(tt.diags, lay, th, tt.proof)
		if v.Status != tt.status || !reflect.DeepEqual(v.Assumes, tt.assumes) {
			t.Errorf("judge(%v) = %+v, want %v assuming %q", tt.diags, v, tt.status, tt.assumes)
		}
	}
}
