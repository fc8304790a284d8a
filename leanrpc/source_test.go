package leanrpc

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseFileFixture(t *testing.T) {
	f, err := ParseFile(filepath.Join("testdata", "proj", "Proj", "Basic.lean"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Init.Data.Nat.Basic", "Init.Omega"}; !reflect.DeepEqual(f.Imports, want) {
		t.Errorf("Imports = %q, want %q", f.Imports, want)
	}
	if !strings.HasSuffix(f.Text[:f.HeaderEnd], "import Init.Omega\n") {
		t.Errorf("header = %q, want it to end after the imports", f.Text[:f.HeaderEnd])
	}
	type want struct {
		kind, full string
		line       int
		statement  string
		tactics    []string
		sorry      bool
		byBlock    bool
		body       string
	}
	wants := []want{
		{"theorem", "Proj.add_zero'", 11, "(n : Nat) : n + 0 = n", []string{"simp"}, false, true, "by\n  simp"},
		{"theorem", "Proj.two_steps", 15, "(a b : Nat) (h : a = b) :\n    b = a", []string{"subst h", "rfl"}, false, true, ""},
		{"lemma", "Proj.pending", 23, "(n : Nat) : n * 1 = n", []string{"sorry"}, true, true, "by sorry"},
		{"theorem", "Proj.multi", 25, "(p q : Prop) (hp : p) (hq : q) : p ∧ q",
			[]string{"constructor", "· exact hp", "· -- the second half\n    exact hq"}, false, true, ""},
		{"theorem", "Proj.Deep.term_mode", 34, ": True", nil, false, false, "trivial"},
		{"theorem", "Proj.Deep.string_sorry", 36, `: "sorry" = "sorry"`, nil, false, false, "rfl"},
		{"theorem", "Proj.Deep.uses_sorry", 38, "(n : Nat) : n = n", nil, true, false, "sorry"},
		{"theorem", "rooted", 41, ": 1 + 1 = 2", []string{"decide"}, false, true, "by decide"},
		{"theorem", "Proj.with_option", 44, "(n : Nat) : n ≤ n + 1", []string{"omega"}, false, true, ""},
		{"example", "", 47, ": 2 = 2", []string{"rfl"}, false, true, ""},
		{"theorem", "unicode_goal", 52, "(α : Type) (xs : List α) : xs ++ [] = xs", []string{"simp"}, false, true, "by\n  simp"},
	}
	if len(f.Decls) != len(wants) {
		var names []string
		for _, d := range f.Decls {
			names = append(names, d.FullName)
		}
		t.Fatalf("got %d decls %q, want %d", len(f.Decls), names, len(wants))
	}
	for i, w := range wants {
		d := f.Decls[i]
		var tacs []string
		for _, tac := range d.Tactics {
			tacs = append(tacs, tac.Text)
		}
		if d.Kind != w.kind || d.FullName != w.full || d.Line != w.line || d.Statement != w.statement ||
			!reflect.DeepEqual(tacs, w.tactics) || d.HasSorry != w.sorry || d.ByBlock != w.byBlock {
			t.Errorf("decl %d = {%s %q line %d stmt %q tactics %q sorry %v by %v}, want %+v",
				i, d.Kind, d.FullName, d.Line, d.Statement, tacs, d.HasSorry, d.ByBlock, w)
		}
		if w.body != "" && f.Text[d.BodyStart:d.BodyEnd] != w.body {
			t.Errorf("%s body = %q, want %q", w.full, f.Text[d.BodyStart:d.BodyEnd], w.body)
		}
	}
	// Tactic lines point into the file.
	multi := f.Decl("Proj.multi")
	if multi.Tactics[1].Line != 27 || f.Text[multi.Tactics[1].Start:multi.Tactics[1].End] != "· exact hp" {
		t.Errorf("multi step 2 = %+v", multi.Tactics[1])
	}
	// The option prefix belongs to the declaration.
	if wo := f.Decl("Proj.with_option"); !strings.HasPrefix(wo.Signature, "set_option maxHeartbeats 400000 in\ntheorem with_option") {
		t.Errorf("with_option signature = %q", wo.Signature)
	}
	// Context ends right where the declaration (with its docstring) starts.
	az := f.Decl("Proj.add_zero'")
	if ctx := f.Context(az); !strings.HasSuffix(ctx, "namespace Proj\n\n") {
		t.Errorf("context of add_zero' ends %q", ctx[max(0, len(ctx)-30):])
	}
	if !strings.HasPrefix(az.Signature, "/-- Adding zero.") || !strings.HasSuffix(az.Signature, "n + 0 = n") {
		t.Errorf("add_zero' signature = %q", az.Signature)
	}
}

func TestParseSourceErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		file string
		line int
		msg  string
	}{
		{"bad_end.lean", 5, "does not close"},
		{"unterminated.lean", 4, "unterminated comment"},
		{"unbalanced.lean", 1, "never closed"},
	}
	for _, tt := range tests {
		path := filepath.Join("testdata", tt.file)
		_, err := ParseFile(path)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrParse) {
			t.Errorf("ParseFile(%s) error = %v, want *ParseError", tt.file, err)
			continue
		}
		if pe.Path != path || pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("ParseFile(%s) = %v, want line %d and %q", tt.file, err, tt.line, tt.msg)
		}
		if !strings.HasPrefix(err.Error(), path+":") {
			t.Errorf("error %q does not start with the file name", err)
		}
	}
}

func TestParseSourceInlineAndMutual(t *testing.T) {
	src := "theorem a : True := by trivial\n" +
		"theorem seq (p : Prop) (h : p ∨ p) : p := by\n  cases h\n  <;> assumption\n" +
		"mutual\ntheorem b : True := trivial\ntheorem c : True := by\n  exact trivial\nend\n" +
		"def f : Nat → Nat\n  | 0 => 0\n  | n + 1 => n\n"
	f, err := ParseSource("x.lean", src)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		names = append(names, d.FullName)
	}
	if want := []string{"a", "seq", "b", "c", "f"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("names = %q, want %q", names, want)
	}
	if got := f.Decls[0].Tactics; len(got) != 1 || got[0].Text != "trivial" {
		t.Errorf("inline tactics = %+v", got)
	}
	if got := f.Decls[1].Tactics; len(got) != 1 || got[0].Text != "cases h\n  <;> assumption" {
		t.Errorf("<;> continuation split: %+v", got)
	}
	if d := f.Decls[4]; d.AssignAt != -1 || d.BodyStart != -1 || d.Signature != "def f : Nat → Nat" {
		t.Errorf("pattern-matching def = %+v", d)
	}
}

// TestTacticAlternativesStayInTheirStep: the "| zero => …" alternatives of
// induction … with (and of match, first, rcases patterns) are written at
// the column of the tactic they belong to, and are part of it.
func TestTacticAlternativesStayInTheirStep(t *testing.T) {
	src := "theorem z (n : Nat) : n + 0 = n := by\n" +
		"  induction n with\n" +
		"  | zero => rfl\n" +
		"  | succ n ih => simp\n" +
		"  done\n" +
		"theorem w : True := by\n" +
		"  first\n" +
		"  | exact trivial\n" +
		"  | simp\n"
	f, err := ParseSource("z.lean", src)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"induction n with\n  | zero => rfl\n  | succ n ih => simp", "done"},
		{"first\n  | exact trivial\n  | simp"},
	}
	for i, d := range f.Decls {
		var got []string
		for _, tac := range d.Tactics {
			got = append(got, tac.Text)
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%s: steps %q, want %q", d.FullName, got, want[i])
		}
	}
}

func TestTacticNormalized(t *testing.T) {
	src := "theorem a (p q : Prop) (hp : p) (hq : q) : p ∧ q := by\n" +
		"    constructor\n" +
		"    · exact hp\n" +
		"    · -- deeper block\n" +
		"      exact hq\n"
	f, err := ParseSource("a.lean", src)
	if err != nil {
		t.Fatal(err)
	}
	tacs := f.Decls[0].Tactics
	if len(tacs) != 3 || tacs[2].Col != 4 {
		t.Fatalf("tactics = %+v", tacs)
	}
	if got, want := tacs[2].Normalized(), "· -- deeper block\n    exact hq"; got != want {
		t.Errorf("Normalized = %q, want %q", got, want)
	}
	if got := tacs[0].Normalized(); got != "constructor" {
		t.Errorf("one-line step changed: %q", got)
	}
}

func TestParseIndentedDeclarations(t *testing.T) {
	src := "namespace N\n  /-- doc -/\n  theorem a : 1 = 1 := by sorry\n\n  private lemma b : 2 = 2 := by\n    open Nat in\n    rfl\n  end N\n"
	f, err := ParseSource("I.lean", src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range f.Decls {
		got = append(got, fmt.Sprintf("%s:%d:%v:%q", d.FullName, d.Line, d.HasSorry, f.Text[d.BodyStart:d.BodyEnd]))
	}
	want := []string{`N.a:3:true:"by sorry"`, `N.b:5:false:"by\n    open Nat in\n    rfl"`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("declarations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSemicolonSeparatesSteps: "a; b" on one line is two steps of the
// block, as in Lean's tactic sequence and LeanDojo's traces, unless the ";"
// continues a nested sequence or sits inside brackets or "<;>".
func TestSemicolonSeparatesSteps(t *testing.T) {
	tests := []struct {
		body string // the block's lines after "by", each indented by two
		want []string
	}{
		{"simp; ring", []string{"simp", "ring"}},
		{"rw [h] at h'; exact h'; done", []string{"rw [h] at h'", "exact h'", "done"}},
		{"rcases h with h | h; simp", []string{"rcases h with h | h", "simp"}},
		{"constructor <;> simp; rfl", []string{"constructor <;> simp", "rfl"}},
		{"cases h <;> [skip; exact h]", []string{"cases h <;> [skip; exact h]"}},
		{"have h : 0 = 0 := by simp; ring", []string{"have h : 0 = 0 := by simp; ring"}},
		{"try simp; ring", []string{"try simp; ring"}},
		{"all_goals simp; ring", []string{"all_goals simp; ring"}},
		{"· simp; ring", []string{"· simp; ring"}},
		{"exact (fun x => x) h; done", []string{"exact (fun x => x) h", "done"}}, // the bracket ends the fun
		{"exact fun x => x; done", []string{"exact fun x => x; done"}},
		{"refine ⟨by simp, ?_⟩; ring", []string{"refine ⟨by simp, ?_⟩", "ring"}},
		{"exact (if h then a else b); done", []string{"exact (if h then a else b)", "done"}},
		{"refine ⟨?_, ?_⟩; simp", []string{"refine ⟨?_, ?_⟩", "simp"}},
		{"exact h.1; done", []string{"exact h.1", "done"}},
		{"simp; -- why\n  ring", []string{"simp", "ring"}},             // a trailing ";" ends its step
		{"rw [a]; exact\n    foo", []string{"rw [a]; exact\n    foo"}}, // a step on several lines stays whole
		{"induction n with\n  | zero => simp; ring\n  | succ n ih => simp", []string{"induction n with\n  | zero => simp; ring\n  | succ n ih => simp"}},
		// A tactic taking a sequence begins any step, not only the line's
		// first: its ";" continues it there too.
		{"simp; try simp; ring", []string{"simp", "try simp; ring"}},
		{"constructor <;> try simp; ring", []string{"constructor <;> try simp; ring"}},
		{"intro x; all_goals simp; ring", []string{"intro x", "all_goals simp; ring"}},
		// then, else and in open sequences.
		{"if h : p then simp; ring else rfl", []string{"if h : p then simp; ring else rfl"}},
		{"open Classical in simp; ring", []string{"open Classical in simp; ring"}},
		{"set_option maxHeartbeats 400000 in simp; ring", []string{"set_option maxHeartbeats 400000 in simp; ring"}},
		// A term's have, let and suffices take a ";" before their body; the
		// tactic have (a step's first word) does not.
		{"exact have h := foo; h.1", []string{"exact have h := foo; h.1"}},
		{"refine let x := 1; ?_", []string{"refine let x := 1; ?_"}},
		{"have h : p := foo; exact h", []string{"have h : p := foo", "exact h"}},
		{"simp; have h := foo; exact h", []string{"simp", "have h := foo", "exact h"}},
		{"exact (h); obtain ⟨x, hx⟩ := h; exact hx", []string{"exact (h)", "obtain ⟨x, hx⟩ := h", "exact hx"}},
	}
	for _, tt := range tests {
		src := "theorem t : True := by\n  " + tt.body + "\n"
		f, err := ParseSource("t.lean", src)
		if err != nil {
			t.Fatalf("%q: %v", tt.body, err)
		}
		var got []string
		for _, tac := range f.Decls[0].Tactics {
			got = append(got, tac.Text)
			if src[tac.Start:tac.End] != tac.Text {
				t.Errorf("%q: step %q does not point into the file (%d..%d)", tt.body, tac.Text, tac.Start, tac.End)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: steps %q, want %q", tt.body, got, tt.want)
		}
	}
}
