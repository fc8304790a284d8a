package leanrpc

import (
	"fmt"
	"strings"
)

// A Theorem is what a proof document holds: the file's text before the
// declaration, and the declaration's signature up to its ":=".
type Theorem struct {
	// Name resolves the theorem at the end of Context (as written in the
	// file, so namespaces and private names work); used by #print axioms.
	Name string
	// Context is the header and everything the theorem needs (the file's
	// text before the declaration). It ends with a newline.
	Context string
	// Signature is "theorem foo (n : Nat) : n = n", without ":=".
	Signature string
	// SorryDeps names declarations in Context whose bodies still use sorry;
	// a proof that reaches sorryAx only through them is "proved, assuming".
	SorryDeps []string
	// HeaderLines is the number of lines of Context that are the header
	// (imports). An error there means no tactic can be tried (ErrHeader);
	// an error in the rest of the context only stops Verify. Zero: treat
	// every error in the context as a header error.
	HeaderLines int
}

// TheoremFromTarget builds the Theorem for a located declaration. An
// example gets a name (leanprove_example) so that its axioms can be
// printed.
func TheoremFromTarget(t *Target) Theorem {
	d := t.Decl
	sig := d.Signature
	name := d.Name
	if d.Kind == "example" {
		at := d.KeywordAt - d.Start
		sig = sig[:at] + "theorem leanprove_example" + sig[at+len("example"):]
		name = "leanprove_example"
	}
	ctx := t.Source.Context(d)
	if ctx != "" && !strings.HasSuffix(ctx, "\n") {
		ctx += "\n"
	}
	var deps []string
	for i := range t.Source.Decls {
		dd := &t.Source.Decls[i]
		if dd.Start >= d.Start {
			break
		}
		if dd.HasSorry && dd.FullName != "" {
			deps = append(deps, dd.FullName)
		}
	}
	headerLines := strings.Count(t.Source.Text[:t.Source.HeaderEnd], "\n")
	if t.Source.HeaderEnd > 0 && !strings.HasSuffix(t.Source.Text[:t.Source.HeaderEnd], "\n") {
		headerLines++
	}
	return Theorem{Name: name, Context: ctx, Signature: sig, SorryDeps: deps, HeaderLines: headerLines}
}

// layout says where things are in a rendered proof document.
type layout struct {
	declLine int      // 0-based line where the signature starts
	byPos    Position // the "by" of the proof
	// steps[i] is the [first, last] 0-based line of tactic i.
	steps   [][2]int
	lastEnd Position // end of the last tactic line: where plainGoal reads
	// printLine is the line of "#print axioms" (−1 when absent).
	printLine int
}

// render builds the document text for tactics (one step per entry; a step
// with newlines keeps its continuation lines). With no tactics the body is
// "sorry", since an empty "by" at the end of a file does not parse.
func (th *Theorem) render(tactics []string, printAxioms bool) (string, layout) {
	var b strings.Builder
	b.Grow(len(th.Context) + len(th.Signature) + 64*len(tactics) + 64)
	b.WriteString(th.Context)
	lay := layout{declLine: strings.Count(th.Context, "\n"), printLine: -1}
	b.WriteString(th.Signature)
	sigLast := th.Signature[strings.LastIndexByte(th.Signature, '\n')+1:]
	byLine := lay.declLine + strings.Count(th.Signature, "\n")
	lay.byPos = Position{Line: byLine, Character: UTF16Len(sigLast) + len(" := ")}
	b.WriteString(" := by\n")
	line := byLine + 1
	if len(tactics) == 0 {
		tactics = []string{"sorry"}
	}
	for _, tac := range tactics {
		b.WriteString("  ")
		b.WriteString(tac)
		b.WriteByte('\n')
		n := strings.Count(tac, "\n")
		lay.steps = append(lay.steps, [2]int{line, line + n})
		last := tac[strings.LastIndexByte(tac, '\n')+1:]
		col := UTF16Len(last)
		if n == 0 {
			col += 2
		}
		lay.lastEnd = Position{Line: line + n, Character: col}
		line += n + 1
	}
	if printAxioms {
		b.WriteString("\n#print axioms ")
		b.WriteString(th.Name)
		b.WriteByte('\n')
		lay.printLine = line + 1
	}
	return b.String(), lay
}

// OutcomeKind classifies one tactic application. The order matches the
// search package's Outcome, so an adapter may convert directly.
type OutcomeKind uint8

const (
	// Goals: the tactic succeeded and goals remain.
	Goals OutcomeKind = iota
	// Proved: no goals remain and nothing failed.
	Proved
	// Error: Lean rejected the tactic (Message holds its error).
	Error
	// Timeout: heartbeats ran out, or Lean did not answer within the
	// apply timeout.
	Timeout
	// Invalid: refused by the sanitizer, or the tactic did not parse.
	Invalid
)

var outcomeKindNames = [...]string{"goals", "proved", "error", "timeout", "invalid"}

func (k OutcomeKind) String() string {
	if int(k) < len(outcomeKindNames) {
		return outcomeKindNames[k]
	}
	return fmt.Sprintf("OutcomeKind(%d)", k)
}

// Outcome is the result of one Apply.
type Outcome struct {
	Kind OutcomeKind
	// Goals after the tactic (Kind == Goals), each as Lean prints it.
	Goals []string
	// Message is Lean's text (or the sanitizer's) for Error, Timeout and
	// Invalid.
	Message string
}

// classification is what the diagnostics of one version say about the
// proof under search.
type classification struct {
	outcome Outcome
	// unsolved is the "unsolved goals" error at the proof's own "by", if
	// any: goals remain and nothing failed.
	unsolved *Diagnostic
}

// classify reads the final diagnostics of a version (lean-lsp.md §5.2,
// §5.4). Diagnostics that end before the declaration belong to the
// unchanged context and are ignored; every error inside the declaration
// counts, wherever it is (§5.3).
func classify(diags []Diagnostic, lay layout) classification {
	var errs []*Diagnostic
	var unsolved, sorryWarn *Diagnostic
	for i := range diags {
		d := &diags[i]
		if d.Span().End.Line < lay.declLine {
			continue
		}
		switch {
		case d.Severity == SeverityError && d.IsUnsolvedGoals() && d.Range.Start.Line == lay.byPos.Line:
			unsolved = d
		case d.Severity == SeverityError:
			errs = append(errs, d)
		case d.IsSorryWarning():
			sorryWarn = d
		}
	}
	for _, e := range errs {
		if e.IsTimeout() {
			return classification{outcome: Outcome{Kind: Timeout, Message: e.Message}}
		}
	}
	if len(errs) > 0 {
		primary := errs[0]
		if n := len(lay.steps); n > 0 {
			last := lay.steps[n-1]
			for _, e := range errs {
				if sp := e.Span(); sp.Start.Line <= last[1] && sp.End.Line >= last[0] {
					primary = e
					break
				}
			}
		}
		kind := Error
		if primary.IsParseError() {
			kind = Invalid
		}
		return classification{outcome: Outcome{Kind: kind, Message: primary.Message}}
	}
	if sorryWarn != nil {
		return classification{outcome: Outcome{Kind: Error, Message: sorryWarn.Message}}
	}
	if unsolved != nil {
		return classification{outcome: Outcome{Kind: Goals, Goals: goalsFromUnsolved(unsolved.Message)}, unsolved: unsolved}
	}
	return classification{outcome: Outcome{Kind: Proved}}
}

// goalsFromUnsolved parses "unsolved goals\n<goal>\n\n<goal>" (the
// separator is a blank line: lean-lsp.md §5.2 marks it UNSURE, so the
// goals from plainGoal are preferred).
func goalsFromUnsolved(msg string) []string {
	body := strings.TrimPrefix(msg, "unsolved goals")
	body = strings.TrimPrefix(body, "\n")
	if strings.TrimSpace(body) == "" {
		return nil
	}
	var goals []string
	for _, g := range strings.Split(body, "\n\n") {
		if g = strings.TrimRight(g, "\n"); g != "" {
			goals = append(goals, g)
		}
	}
	return goals
}
