package leanrpctest

import (
	"fmt"
	"strings"

	"github.com/leanprove/leanprove/leanrpc"
)

// elaboration is what the fake "worker" computed for one document version.
type elaboration struct {
	diags []leanrpc.Diagnostic
	steps []stepInfo
	crash *Result // the worker dies
	hang  bool    // elaboration never finishes
	exit  bool    // the server process exits
}

type stepInfo struct {
	start, end leanrpc.Position // the tactic's range
	before     []string
	after      []string
	ran, ok    bool
}

// timeoutMessage is the newest wording (lean-lsp.md §5.2).
const timeoutMessage = "(deterministic) timeout at `whnf`, maximum number of heartbeats (200000) has been reached\n\n" +
	"Note: Use `set_option maxHeartbeats <num>` to set the limit.\n\n" +
	"Hint: Additional diagnostic information may be available using the `set_option diagnostics true` command."

// elaborate runs the semantics over a document: the last theorem is the
// one under proof, its tactic block runs step by step, and everything is
// reported where the real server would report it (lean-lsp.md §5.2).
func elaborate(text string, sem Semantics, silent bool, headerError, contextError string) *elaboration {
	e := &elaboration{}
	if headerError != "" {
		e.diags = append(e.diags, diag(leanrpc.SeverityError, headerError, leanrpc.Position{}, leanrpc.Position{Character: 6}))
		return e
	}
	src, err := leanrpc.ParseSource("", text)
	if err != nil {
		var pe *leanrpc.ParseError
		line, col := 0, 0
		if asParseError(err, &pe) {
			line, col = pe.Line-1, pe.Col-1
		}
		p := leanrpc.Position{Line: line, Character: col}
		e.diags = append(e.diags, diag(leanrpc.SeverityError, "unexpected token; expected term", p, p))
		return e
	}
	var target *leanrpc.Decl
	for i := range src.Decls {
		if src.Decls[i].IsTheorem() {
			target = &src.Decls[i]
		}
	}
	// Earlier declarations that use sorry warn, as in a real file.
	sorryNames := map[string]bool{}
	for i := range src.Decls {
		d := &src.Decls[i]
		if d == target || !d.HasSorry {
			continue
		}
		sorryNames[d.Name] = true
		sorryNames[d.FullName] = true
		e.diags = append(e.diags, sorryWarning(text, d))
	}
	if target == nil {
		return e
	}
	if contextError != "" && len(src.Decls) > 1 && &src.Decls[0] != target {
		d := &src.Decls[0]
		e.diags = append(e.diags, diag(leanrpc.SeverityError, contextError, posOf(text, d.KeywordAt), posOf(text, d.End)))
	}
	goals, known := sem.Initial(target.FullName, target.Name, target.Statement)
	kw := posOf(text, target.KeywordAt)
	if !known {
		e.diags = append(e.diags, diag(leanrpc.SeverityError,
			fmt.Sprintf("fake Lean: no semantics for theorem '%s'", target.FullName), kw, posOf(text, target.KeywordAt+len(target.Kind))))
		return e
	}
	usedSorry, failed := false, false
	switch {
	case target.BodyStart < 0:
		failed = true
		e.diags = append(e.diags, diag(leanrpc.SeverityError, "unexpected end of input; expected ':='", kw, kw))
	case !target.ByBlock:
		if target.HasSorry {
			usedSorry, goals = true, nil
		} else {
			failed = true
			e.diags = append(e.diags, diag(leanrpc.SeverityError, "fake Lean: term-mode proofs are not simulated",
				posOf(text, target.BodyStart), posOf(text, target.BodyEnd)))
		}
	default:
		for _, tac := range target.Tactics {
			st := stepInfo{start: posOf(text, tac.Start), end: posOf(text, tac.End), before: goals}
			if failed {
				e.steps = append(e.steps, st)
				continue
			}
			st.ran = true
			switch {
			case tac.Text == "sorry":
				usedSorry, goals = true, nil
				st.ok = true
			case len(goals) == 0:
				failed = true
				e.diags = append(e.diags, diag(leanrpc.SeverityError, "no goals to be solved", st.start, st.end))
			default:
				r := sem.Step(goals, tac.Text)
				switch {
				case r.Crash || r.CrashOnce:
					e.crash = &r
					return e
				case r.ExitProcess:
					e.exit = true
					return e
				case r.Hang:
					e.hang = true
					return e
				case r.Timeout:
					failed = true
					e.diags = append(e.diags, diag(leanrpc.SeverityError, timeoutMessage, st.start, st.end))
				case r.ParseError:
					failed = true
					e.diags = append(e.diags, diag(leanrpc.SeverityError, "unexpected token; expected term", st.start, st.end))
				case r.Error != "":
					failed = true
					e.diags = append(e.diags, diag(leanrpc.SeverityError, r.Error, st.start, st.end))
				default:
					goals = r.Goals
					st.ok = true
				}
			}
			st.after = goals
			e.steps = append(e.steps, st)
		}
	}
	declStart := posOf(text, target.Start)
	declEnd := posOf(text, target.End)
	switch {
	case failed:
	case len(goals) > 0:
		by := posOf(text, target.BodyStart)
		d := diag(leanrpc.SeverityError, "unsolved goals\n"+strings.Join(goals, "\n\n"), by, posOf(text, target.BodyEnd))
		d.Range.End = leanrpc.Position{Line: by.Line + 1} // truncated: the message has several lines
		d.LeanTags = []int{leanrpc.LeanTagUnsolvedGoals}
		e.diags = append(e.diags, d)
		failed = true
	case usedSorry:
		e.diags = append(e.diags, sorryWarning(text, target))
	case silent:
		d := diag(leanrpc.SeverityInformation, "Goals accomplished!", leanrpc.Position{Line: declStart.Line}, declEnd)
		d.Range.End = leanrpc.Position{Line: declStart.Line + 1}
		d.LeanTags = []int{leanrpc.LeanTagGoalsAccomplished}
		d.IsSilent = true
		e.diags = append(e.diags, d)
	}
	e.printAxioms(text, target, sem, usedSorry || failed, sorryNames)
	return e
}

// printAxioms answers "#print axioms NAME" lines after the theorem.
func (e *elaboration) printAxioms(text string, target *leanrpc.Decl, sem Semantics, sorried bool, sorryNames map[string]bool) {
	rest := text[target.End:]
	base := target.End
	for _, line := range strings.SplitAfter(rest, "\n") {
		trimmed := strings.TrimRight(line, "\n")
		if name, ok := strings.CutPrefix(trimmed, "#print axioms "); ok {
			axioms := sem.Axioms(target.FullName)
			if axioms == nil {
				axioms = []string{}
			}
			if !sorried {
				body := text[max(target.BodyStart, 0):target.BodyEnd]
				for _, f := range strings.FieldsFunc(body, func(r rune) bool {
					return !(r == '.' || r == '_' || r == '\'' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127)
				}) {
					if sorryNames[f] {
						sorried = true
					}
				}
			}
			if sorried && !contains(axioms, "sorryAx") {
				axioms = append(axioms, "sorryAx")
			}
			full := target.FullName
			if full == "" {
				full = strings.TrimSpace(name)
			}
			msg := fmt.Sprintf("'%s' does not depend on any axioms", full)
			if len(axioms) > 0 {
				msg = fmt.Sprintf("'%s' depends on axioms: [%s]", full, strings.Join(axioms, ", "))
			}
			start := posOf(text, base)
			e.diags = append(e.diags, diag(leanrpc.SeverityInformation, msg, start,
				leanrpc.Position{Line: start.Line, Character: leanrpc.UTF16Len(trimmed)}))
		}
		base += len(line)
	}
}

// goalAt answers plainGoal the way goalsAt? does (lean-lsp.md §6.1): at a
// tactic's first character the state before it, after it the state after;
// null outside any tactic. After a failed tactic it shows the state before
// (the real answer there is UNSURE, §13.1).
func (e *elaboration) goalAt(p leanrpc.Position) any {
	for _, st := range e.steps {
		if p.Line < st.start.Line || p.Line > st.end.Line || !st.ran {
			continue
		}
		goals := st.after
		if !st.ok || (p.Line == st.start.Line && p.Character <= st.start.Character) {
			goals = st.before
		}
		return renderGoals(goals)
	}
	return nil
}

func renderGoals(goals []string) leanrpc.PlainGoal {
	if len(goals) == 0 {
		return leanrpc.PlainGoal{Rendered: "no goals", Goals: []string{}}
	}
	blocks := make([]string, len(goals))
	for i, g := range goals {
		blocks[i] = "```lean\n" + g + "\n```"
	}
	return leanrpc.PlainGoal{Rendered: strings.Join(blocks, "\n---\n"), Goals: goals}
}

func diag(severity int, msg string, start, end leanrpc.Position) leanrpc.Diagnostic {
	full := leanrpc.Range{Start: start, End: end}
	return leanrpc.Diagnostic{Range: full, FullRange: &full, Severity: severity, Source: "Lean 4", Message: msg}
}

func sorryWarning(text string, d *leanrpc.Decl) leanrpc.Diagnostic {
	at := d.KeywordAt
	name := d.Kind
	if d.Name != "" {
		if i := strings.Index(text[d.KeywordAt:], d.Name); i >= 0 {
			at, name = d.KeywordAt+i, d.Name
		}
	}
	return diag(leanrpc.SeverityWarning, "declaration uses 'sorry'", posOf(text, at), posOf(text, at+len(name)))
}

// posOf converts a byte offset to an LSP position (UTF-16 columns).
func posOf(text string, off int) leanrpc.Position {
	off = min(max(off, 0), len(text))
	line := strings.Count(text[:off], "\n")
	ls := strings.LastIndexByte(text[:off], '\n') + 1
	return leanrpc.Position{Line: line, Character: leanrpc.UTF16Len(text[ls:off])}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
