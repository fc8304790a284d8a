package leanrpc

import (
	"fmt"
	"os"
	"strings"
)

// A SourceFile is a parsed .lean file: its header and its declarations.
// The parser is static (no Lean needed) and knows just enough syntax to find
// commands, names, statements and tactic blocks.
type SourceFile struct {
	Path string
	Text string
	// Imports lists the imported modules in order.
	Imports []string
	// HeaderEnd is the byte offset just after the header (prelude, module
	// and import lines); Text[:HeaderEnd] is the header.
	HeaderEnd int
	Decls     []Decl
}

// A Decl is one declaration.
type Decl struct {
	// Kind is the keyword: theorem, lemma, example, def, instance, abbrev,
	// opaque or axiom.
	Kind string
	// Name is the name as written ("" for example); FullName adds the
	// enclosing namespaces (and drops a _root_ prefix).
	Name, FullName string
	// Namespace is the namespace the declaration sits in ("" at top level).
	Namespace string
	// Line is the 1-based line of the keyword.
	Line int
	// KeywordAt is the byte offset of the keyword.
	KeywordAt int
	// Start and End delimit the whole command in SourceFile.Text, including
	// its doc comment, attributes, modifiers and set_option/open … in
	// prefixes.
	Start, End int
	// Signature is Text[Start:AssignAt] without trailing space: everything
	// up to the := of the body ("theorem foo (n : Nat) : n = n").
	Signature string
	// Statement is the binders and type after the name ("(n : Nat) : n = n").
	Statement string
	// AssignAt is the offset of ":=" (−1 when the body is given by
	// pattern-matching alternatives or is absent).
	AssignAt int
	// BodyStart and BodyEnd delimit the proof body after ":=" (a term,
	// "sorry", or "by" and its tactic block), without trailing comments,
	// where, termination_by or decreasing_by; −1 when there is none.
	// prove --write replaces exactly Text[BodyStart:BodyEnd].
	BodyStart, BodyEnd int
	// ByBlock is true when the body is a tactic block ("by …").
	ByBlock bool
	// Tactics are the top-level steps of the tactic block, in order; a step
	// spans several lines when its continuation is indented deeper (a
	// focused "·" block, calc).
	Tactics []Tactic
	// HasSorry is true when the body uses sorry or admit.
	HasSorry bool
}

// A Tactic is one top-level step of a tactic block.
type Tactic struct {
	Text       string
	Line       int // 1-based
	Col        int // 0-based byte column of the step's first character
	Start, End int // byte offsets in SourceFile.Text
}

// Normalized returns the step as Session.Apply and Verify expect it: a
// continuation line keeps its indentation relative to the step's first
// line, re-based to a block indented by two spaces (the documents' own).
// A one-line step is returned unchanged.
func (t Tactic) Normalized() string {
	if !strings.Contains(t.Text, "\n") || t.Col == 2 {
		return t.Text
	}
	lines := strings.Split(t.Text, "\n")
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		if t.Col > 2 {
			cut := 0
			for cut < t.Col-2 && cut < len(l) && l[cut] == ' ' {
				cut++
			}
			lines[i] = l[cut:]
		} else if strings.TrimSpace(l) != "" {
			lines[i] = strings.Repeat(" ", 2-t.Col) + l
		}
	}
	return strings.Join(lines, "\n")
}

// IsTheorem says whether the declaration states a proposition to prove.
func (d *Decl) IsTheorem() bool {
	return d.Kind == "theorem" || d.Kind == "lemma" || d.Kind == "example"
}

// Context returns the file's text before the declaration: the header and
// every command the declaration can depend on (namespaces, sections,
// variables, opens, earlier lemmas). A proof document is Context +
// Signature + " := by" + the tactics.
func (f *SourceFile) Context(d *Decl) string { return f.Text[:d.Start] }

// Decl returns the declaration with that full name, or nil.
func (f *SourceFile) Decl(fullName string) *Decl {
	for i := range f.Decls {
		if f.Decls[i].FullName == fullName && fullName != "" {
			return &f.Decls[i]
		}
	}
	return nil
}

// ParseFile reads and parses a .lean file.
func ParseFile(path string) (*SourceFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return ParseSource(path, string(data))
}

// ParseSource parses Lean source text; path names it in errors.
func ParseSource(path, text string) (*SourceFile, error) {
	toks, err := lex(text)
	if err != nil {
		le := err.(*lexError)
		return nil, &ParseError{Path: path, Line: le.line, Col: le.col + 1, Msg: le.msg}
	}
	p := &parser{f: &SourceFile{Path: path, Text: text}, toks: toks}
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.f, nil
}
