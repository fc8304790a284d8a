package leanrpc

import (
	"fmt"
	"strings"
)

type parser struct {
	f    *SourceFile
	toks []token
	// scopes is the stack of open namespaces and sections.
	scopes   []scope
	inMutual bool
}

type scope struct {
	section bool
	name    string // as written after namespace/section
}

// declKeywords start a declaration the parser records.
var declKeywords = map[string]bool{
	"theorem": true, "lemma": true, "example": true, "def": true, "instance": true,
	"abbrev": true, "opaque": true, "axiom": true,
}

// modifiers may precede a declaration keyword.
var modifiers = map[string]bool{
	"private": true, "protected": true, "noncomputable": true, "partial": true, "unsafe": true,
	"nonrec": true, "public": true, "scoped": true, "local": true, "meta": true,
}

// commandStarts are tokens that begin a command when they sit at column 0.
var commandStarts = map[string]bool{
	"namespace": true, "section": true, "end": true, "open": true, "variable": true,
	"universe": true, "set_option": true, "attribute": true, "structure": true, "class": true,
	"inductive": true, "mutual": true, "macro": true, "macro_rules": true, "syntax": true,
	"elab": true, "notation": true, "infix": true, "infixl": true, "infixr": true,
	"prefix": true, "postfix": true, "export": true, "initialize": true, "deriving": true,
	"omit": true, "include": true, "noncomputable": true, "elab_rules": true,
	"declare_syntax_cat": true, "add_decl_doc": true, "alias": true, "irreducible_def": true,
	"compile_inductive": true, "assert_not_exists": true, "suppress_compilation": true,
}

func (p *parser) errorAt(t token, format string, args ...any) error {
	return &ParseError{Path: p.f.Path, Line: t.line, Col: t.col + 1, Msg: fmt.Sprintf(format, args...)}
}

// indentableStarts begin a command wherever they open a line: they are
// keywords no term or tactic block can hold, so an indented "theorem"
// inside a namespace is a command too. Others (open, set_option, doc
// comments) also occur inside proofs and structures, so they count only at
// column 0.
var indentableStarts = map[string]bool{
	"theorem": true, "lemma": true, "example": true, "def": true, "instance": true,
	"abbrev": true, "opaque": true, "axiom": true, "structure": true, "class": true,
	"inductive": true, "namespace": true, "section": true, "end": true, "mutual": true,
	"universe": true, "variable": true, "private": true, "protected": true,
	"noncomputable": true, "partial": true, "unsafe": true,
}

func isCommandStart(toks []token, i int) bool {
	t := toks[i]
	if t.col != 0 {
		firstOnLine := i == 0 || toks[i-1].line != t.line
		return firstOnLine && t.kind == tokIdent && indentableStarts[t.text]
	}
	switch t.kind {
	case tokComment:
		return strings.HasPrefix(t.text, "/--")
	case tokIdent:
		return declKeywords[t.text] || modifiers[t.text] || commandStarts[t.text]
	case tokSymbol:
		return t.text == "#" || (t.text == "@" && i+1 < len(toks) && toks[i+1].text == "[")
	}
	return false
}

func (p *parser) parse() error {
	toks := p.toks
	i := p.parseHeader()
	// Split the rest into commands at command starts.
	var starts []int
	for j := i; j < len(toks); j++ {
		if isCommandStart(toks, j) {
			starts = append(starts, j)
		}
	}
	prefixStart := -1 // token index of a pending "set_option … in" prefix
	for n, s := range starts {
		e := len(toks)
		if n+1 < len(starts) {
			e = starts[n+1]
		}
		cmd := toks[s:e]
		last := lastCode(cmd)
		if last < 0 || cmd[last].text == "in" || onlyDecoration(cmd) {
			// A doc comment, attribute or "set_option … in" on its own
			// line(s) belongs to the command that follows.
			if prefixStart < 0 {
				prefixStart = s
			}
			continue
		}
		start := s
		if prefixStart >= 0 {
			start = prefixStart
			prefixStart = -1
		}
		if err := p.command(toks[start:e]); err != nil {
			return err
		}
	}
	return nil
}

// parseHeader reads prelude, module and import lines and returns the index
// of the first token after them.
func (p *parser) parseHeader() int {
	toks := p.toks
	i := 0
	for i < len(toks) {
		t := toks[i]
		switch {
		case t.kind == tokComment:
			i++
			continue
		case t.kind == tokIdent && (t.text == "prelude" || t.text == "module"):
			p.f.HeaderEnd = lineEnd(p.f.Text, t.off)
			i++
			continue
		case t.kind == tokIdent && (t.text == "import" || ((t.text == "public" || t.text == "meta") &&
			i+1 < len(toks) && (toks[i+1].text == "import" || toks[i+1].text == "meta"))):
			j := i + 1
			for j < len(toks) && toks[j].line == t.line {
				if toks[j].kind == tokIdent && toks[j].text != "import" && toks[j].text != "all" && toks[j].text != "meta" {
					p.f.Imports = append(p.f.Imports, toks[j].text)
				}
				j++
			}
			p.f.HeaderEnd = lineEnd(p.f.Text, t.off)
			i = j
			continue
		}
		break
	}
	return i
}

func lineEnd(text string, off int) int {
	if k := strings.IndexByte(text[off:], '\n'); k >= 0 {
		return off + k + 1
	}
	return len(text)
}

func lastCode(cmd []token) int {
	for k := len(cmd) - 1; k >= 0; k-- {
		if cmd[k].kind != tokComment {
			return k
		}
	}
	return -1
}

func (p *parser) namespace() string {
	var parts []string
	for _, s := range p.scopes {
		if !s.section {
			parts = append(parts, s.name)
		}
	}
	return strings.Join(parts, ".")
}

// command handles one command's tokens.
func (p *parser) command(cmd []token) error {
	// Skip doc comments, attributes, modifiers and "… in" prefixes to the keyword.
	k := 0
	for k < len(cmd) {
		t := cmd[k]
		switch {
		case t.kind == tokComment:
			k++
		case t.text == "@" && k+1 < len(cmd) && cmd[k+1].text == "[":
			depth := 0
			for k++; k < len(cmd); k++ {
				if cmd[k].text == "[" {
					depth++
				} else if cmd[k].text == "]" {
					depth--
					if depth == 0 {
						k++
						break
					}
				}
			}
		case t.kind == tokIdent && modifiers[t.text]:
			k++
		case t.kind == tokIdent && (t.text == "set_option" || t.text == "open") && hasInBefore(cmd, k):
			for k < len(cmd) && cmd[k].text != "in" {
				k++
			}
			k++
		default:
			goto keyword
		}
	}
	return nil
keyword:
	if k >= len(cmd) {
		return nil
	}
	kw := cmd[k]
	switch kw.text {
	case "namespace":
		if k+1 >= len(cmd) || cmd[k+1].kind != tokIdent {
			return p.errorAt(kw, "namespace without a name")
		}
		p.scopes = append(p.scopes, scope{name: cmd[k+1].text})
		return nil
	case "section":
		name := ""
		if k+1 < len(cmd) && cmd[k+1].kind == tokIdent && cmd[k+1].line == kw.line {
			name = cmd[k+1].text
		}
		p.scopes = append(p.scopes, scope{section: true, name: name})
		return nil
	case "end":
		name := ""
		if k+1 < len(cmd) && cmd[k+1].kind == tokIdent && cmd[k+1].line == kw.line {
			name = cmd[k+1].text
		}
		if p.inMutual && name == "" {
			p.inMutual = false
			return nil
		}
		if len(p.scopes) == 0 {
			return p.errorAt(kw, "'end %s' without a matching namespace or section", name)
		}
		top := p.scopes[len(p.scopes)-1]
		if top.name != name {
			opener := "section"
			if !top.section {
				opener = "namespace"
			}
			return p.errorAt(kw, "'end %s' does not close the open %s %q", name, opener, top.name)
		}
		p.scopes = p.scopes[:len(p.scopes)-1]
		return nil
	case "mutual":
		// Declarations inside mutual … end are recorded one by one; the
		// "end" closes the block, not a scope.
		p.inMutual = true
		return nil
	}
	if kw.kind != tokIdent || !declKeywords[kw.text] {
		return p.checkBrackets(cmd)
	}
	return p.decl(cmd, k)
}

func hasInBefore(cmd []token, k int) bool {
	for j := k; j < len(cmd); j++ {
		if cmd[j].text == "in" {
			return true
		}
		if cmd[j].kind == tokIdent && declKeywords[cmd[j].text] {
			return false
		}
	}
	return false
}

// onlyDecoration says whether cmd holds nothing but doc comments,
// attributes and modifiers.
func onlyDecoration(cmd []token) bool {
	depth := 0
	for k, t := range cmd {
		switch {
		case t.kind == tokComment:
		case depth > 0:
			if t.text == "[" {
				depth++
			} else if t.text == "]" {
				depth--
			}
		case t.text == "@" && k+1 < len(cmd) && cmd[k+1].text == "[":
		case t.text == "[" && k > 0 && cmd[k-1].text == "@":
			depth++
		case t.kind == tokIdent && modifiers[t.text]:
		default:
			return false
		}
	}
	return true
}

// checkBrackets reports a closing bracket without its opener, the sign of
// a file that does not parse.
func (p *parser) checkBrackets(cmd []token) error {
	var stack []string
	for _, t := range cmd {
		if t.kind != tokSymbol {
			continue
		}
		switch t.text {
		case "(", "[", "{", "⟨", "⦃", "⟦":
			stack = append(stack, t.text)
		case ")", "]", "}", "⟩", "⦄", "⟧":
			want := map[string]string{")": "(", "]": "[", "}": "{", "⟩": "⟨", "⦄": "⦃", "⟧": "⟦"}[t.text]
			if len(stack) == 0 || stack[len(stack)-1] != want {
				return p.errorAt(t, "unexpected %q", t.text)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return p.errorAt(cmd[0], "%q opened in this command is never closed", stack[len(stack)-1])
	}
	return nil
}

// decl records the declaration whose keyword is cmd[k].
func (p *parser) decl(cmd []token, k int) error {
	if err := p.checkBrackets(cmd); err != nil {
		return err
	}
	text := p.f.Text
	kw := cmd[k]
	d := Decl{Kind: kw.text, Line: kw.line, KeywordAt: kw.off, Start: cmd[0].off, AssignAt: -1, BodyStart: -1, BodyEnd: -1,
		Namespace: p.namespace()}
	last := lastCode(cmd)
	d.End = cmd[last].off + len(cmd[last].text)
	j := k + 1
	if kw.text != "example" && j < len(cmd) && cmd[j].kind == tokIdent && cmd[j].line == kw.line {
		d.Name = cmd[j].text
		j++
	}
	switch {
	case d.Name == "":
	case strings.HasPrefix(d.Name, "_root_."):
		d.FullName = strings.TrimPrefix(d.Name, "_root_.")
	case d.Namespace != "":
		d.FullName = d.Namespace + "." + d.Name
	default:
		d.FullName = d.Name
	}
	statementStart := kw.off + len(kw.text)
	if d.Name != "" {
		statementStart = cmd[j-1].off + len(cmd[j-1].text)
	}
	// The body starts at the first := outside brackets.
	depth := 0
	assign := -1
	for m := j; m < last+1; m++ {
		t := cmd[m]
		if t.kind != tokSymbol {
			continue
		}
		switch t.text {
		case "(", "[", "{", "⟨", "⦃", "⟦":
			depth++
		case ")", "]", "}", "⟩", "⦄", "⟧":
			depth--
		case ":=":
			if depth == 0 && assign < 0 {
				assign = m
			}
		}
		if assign >= 0 {
			break
		}
	}
	sigEnd := d.End
	if assign >= 0 {
		sigEnd = cmd[assign].off
		d.AssignAt = sigEnd
	} else {
		for m := j; m <= last; m++ {
			if cmd[m].text == "|" || cmd[m].text == "where" {
				sigEnd = cmd[m].off
				break
			}
		}
	}
	d.Signature = strings.TrimRight(text[d.Start:sigEnd], " \t\n")
	d.Statement = strings.TrimSpace(text[statementStart:max(statementStart, sigEnd)])
	if assign >= 0 && assign < last {
		body := cmd[assign+1 : last+1]
		end := len(body)
		for m, t := range body {
			if t.kind == tokIdent && (t.text == "where" || t.text == "termination_by" || t.text == "decreasing_by") {
				end = m
				break
			}
		}
		body = body[:end]
		if lc := lastCode(body); lc >= 0 {
			body = body[:lc+1]
			d.BodyStart = body[0].off
			d.BodyEnd = body[lc].off + len(body[lc].text)
			for _, t := range body {
				if t.kind == tokIdent && (t.text == "sorry" || t.text == "admit") {
					d.HasSorry = true
				}
			}
			if body[0].kind == tokIdent && body[0].text == "by" {
				d.ByBlock = true
				d.Tactics = splitTactics(text, body[1:])
			}
		}
	}
	p.f.Decls = append(p.f.Decls, d)
	return nil
}

// sequenceTactics take a tactic sequence as their argument, so a ";" after
// them continues that sequence: "try simp; ring" tries both, wherever a
// tactic begins (a step's start, after a ";" or "<;>").
var sequenceTactics = map[string]bool{
	"try": true, "repeat": true, "repeat'": true, "all_goals": true, "any_goals": true,
	"focus": true, "iterate": true, "first": true, "solve": true, "on_goal": true,
	"case": true, "case'": true, "next": true, "classical": true, "calc": true,
	"with_reducible": true, "with_reducible_and_instances": true, "with_unfolding_all": true,
	"unhygienic": true, "show_term": true, "fail_if_success": true, "conv": true,
	"fail_if_no_progress": true, "success_if_fail_with_msg": true, "stop": true,
}

// sequenceKeywords open a tactic sequence wherever they stand outside
// brackets: "by", "if … then a; b else c; d", "open Foo in a; b",
// "set_option … in a; b". "fun" opens a term, kept whole for its match
// alternatives. Inside brackets what they open ends with the bracket:
// "exact (fun x => x) h; done" is two steps.
var sequenceKeywords = map[string]bool{"by": true, "fun": true, "then": true, "else": true, "in": true, "do": true}

// termSequels are the terms whose body follows a ";": "exact have h := e;
// h.1" is one tactic. As a tactic's first word, have and the others end at
// the ";" instead ("have h := e; exact h" is two).
var termSequels = map[string]bool{"have": true, "haveI": true, "let": true, "letI": true, "suffices": true}

// semicolonCuts returns the indices of the ";" tokens of a one-line step
// that separate tactics: outside brackets, not the middle of "<;>", and
// before anything that opens a nested tactic sequence, which a ";"
// continues ("have h : p := by simp; ring", "· a; b", "| zero => a; b",
// "fun x => …", the sequenceKeywords, and the sequenceTactics where a
// tactic begins), or a term that takes one (termSequels). An rcases
// pattern's "|" opens none: "rcases h with h | h; simp" is two steps.
func semicolonCuts(step []token) []int {
	var cuts []int
	depth := 0
	tacticStart := true // the next code token begins a tactic
	for i, t := range step {
		if t.kind == tokComment {
			continue
		}
		atStart := tacticStart
		tacticStart = false
		if t.kind == tokIdent {
			switch {
			case depth == 0 && sequenceKeywords[t.text],
				atStart && sequenceTactics[t.text],
				!atStart && depth == 0 && termSequels[t.text]:
				return cuts
			}
			continue
		}
		if t.kind != tokSymbol {
			continue
		}
		switch t.text {
		case "(", "[", "{", "⟨", "⦃":
			depth++
		case ")", "]", "}", "⟩", "⦄":
			depth--
		case "=>", "·", ".", "λ":
			if depth == 0 && (t.text != "." || atStart) {
				return cuts
			}
		case ";":
			inCombinator := i > 0 && i+1 < len(step) && step[i-1].text == "<" && t.glued && step[i+1].text == ">" && step[i+1].glued
			if depth == 0 && !inCombinator && i > 0 {
				cuts = append(cuts, i)
				tacticStart = true
			}
		case ">":
			// The end of "<;>": its right side is a tactic.
			tacticStart = depth == 0 && i >= 2 && step[i-1].text == ";" && step[i-2].text == "<" && t.glued && step[i-1].glued
		}
	}
	return cuts
}

// splitTactics cuts a tactic block into top-level steps: a step starts at
// the first token and at every token that begins a line at the first
// token's column, and a one-line step "a; b" is two steps, as Lean's
// tactic sequence and LeanDojo's traces have it (see semicolonCuts).
func splitTactics(text string, toks []token) []Tactic {
	var out []Tactic
	base := -1
	cur := -1 // start token index of the current step
	emit := func(piece []token) {
		lc := lastCode(piece)
		if lc < 0 {
			return
		}
		t0, tl := piece[0], piece[lc]
		out = append(out, Tactic{Text: text[t0.off : tl.off+len(tl.text)], Line: t0.line, Col: t0.col,
			Start: t0.off, End: tl.off + len(tl.text)})
	}
	flush := func(end int) {
		if cur < 0 {
			return
		}
		step := toks[cur:end]
		if lc := lastCode(step); lc >= 0 && step[lc].line == step[0].line {
			from := 0
			for _, cut := range semicolonCuts(step) {
				emit(step[from:cut])
				from = cut + 1
			}
			step = step[from:]
		}
		emit(step)
	}
	for m, t := range toks {
		if t.kind == tokComment {
			continue
		}
		if base < 0 {
			base = t.col
			cur = m
			continue
		}
		// A line that starts with <;> continues the previous tactic, and so
		// does one that starts with | (the alternatives of induction …
		// with, match, first and rcases patterns sit at its column).
		if t.first && t.col == base && !strings.HasPrefix(text[t.off:], "<;>") && !strings.HasPrefix(text[t.off:], "|") {
			flush(m)
			cur = m
		}
	}
	flush(len(toks))
	return out
}
