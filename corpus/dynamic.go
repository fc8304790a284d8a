package corpus

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/leanprove/leanprove/leanrpc"
)

// GoalReader is the part of a Lean server connection dynamic tracing needs;
// *leanrpc.Conn (and so *leanrpc.Server) provides it.
type GoalReader interface {
	DidOpen(ctx context.Context, uri, text string) (int, error)
	WaitForDiagnostics(ctx context.Context, uri string, version int) error
	PlainGoal(ctx context.Context, uri string, pos leanrpc.Position) (*leanrpc.PlainGoal, error)
	DidClose(ctx context.Context, uri string) error
}

// TraceDynamic records LeanDojo-style traces without LeanDojo: for each
// theorem of src proved by a tactic block, it opens a document holding the
// file up to and including that theorem (the server elaborates the last
// theorem as the one under proof), waits for elaboration, and reads the goal
// before each top-level tactic (at its first character) and after it (at
// its end). Steps whose goal cannot be read (a tactic after a failure, a
// position the server does not answer) are left out; a theorem with no
// readable step is left out. Nested tactics inside focusing dots and
// by-blocks are not traced separately: each top-level step is one record.
func TraceDynamic(ctx context.Context, lean GoalReader, src *leanrpc.SourceFile) ([]Theorem, error) {
	abs, err := filepath.Abs(src.Path)
	if err != nil {
		return nil, fmt.Errorf("trace %s: %w", src.Path, err)
	}
	uri := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	var out []Theorem
	for i := range src.Decls {
		d := &src.Decls[i]
		if !d.IsTheorem() || !d.ByBlock || len(d.Tactics) == 0 || d.HasSorry {
			continue
		}
		th, err := traceDecl(ctx, lean, uri, src, d)
		if err != nil {
			return nil, fmt.Errorf("trace %s (%s:%d): %w", declName(d), src.Path, d.Line, err)
		}
		if len(th.Steps) > 0 {
			out = append(out, th)
		}
	}
	return out, nil
}

func traceDecl(ctx context.Context, lean GoalReader, uri string, src *leanrpc.SourceFile, d *leanrpc.Decl) (Theorem, error) {
	text := src.Text[:d.End] + "\n"
	version, err := lean.DidOpen(ctx, uri, text)
	if err != nil {
		return Theorem{}, err
	}
	defer lean.DidClose(context.WithoutCancel(ctx), uri)
	if err := lean.WaitForDiagnostics(ctx, uri, version); err != nil {
		return Theorem{}, err
	}
	th := Theorem{FullName: declName(d), FilePath: src.Path, Statement: d.Statement,
		Start: [2]int{d.Line, 1}, End: [2]int{lineOf(src.Text, d.End), 1}}
	for _, tac := range d.Tactics {
		before, err := goalText(ctx, lean, uri, positionAt(text, tac.Start))
		if err != nil {
			return Theorem{}, err
		}
		after, err := goalText(ctx, lean, uri, positionAt(text, tac.End))
		if err != nil {
			return Theorem{}, err
		}
		if before == "" || before == NoGoals || after == "" || before == after {
			// Unreadable, nothing to prove, or the tactic did not run.
			continue
		}
		// The step as Lean reads it: a calc or a focused block spread over
		// lines means nothing once its lines are joined into one.
		th.Steps = append(th.Steps, Step{Tactic: tac.Normalized(), StateBefore: before, StateAfter: after})
	}
	return th, nil
}

// goalText reads the goals at pos as trace text: "" when the server has
// none there, "no goals" when the proof is finished.
func goalText(ctx context.Context, lean GoalReader, uri string, pos leanrpc.Position) (string, error) {
	g, err := lean.PlainGoal(ctx, uri, pos)
	if err != nil || g == nil {
		return "", err
	}
	if len(g.Goals) == 0 {
		return NoGoals, nil
	}
	return strings.Join(g.Goals, "\n\n"), nil
}

// positionAt converts a byte offset of text to an LSP position (0-based
// line, UTF-16 column).
func positionAt(text string, offset int) leanrpc.Position {
	offset = min(offset, len(text))
	line := strings.Count(text[:offset], "\n")
	start := strings.LastIndexByte(text[:offset], '\n') + 1
	return leanrpc.Position{Line: line, Character: leanrpc.UTF16Len(text[start:offset])}
}

func lineOf(text string, offset int) int {
	return 1 + strings.Count(text[:min(offset, len(text))], "\n")
}
