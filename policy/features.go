package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// hypothesis is one local hypothesis of a goal: "h : x ∈ s" has Name "h".
type hypothesis struct {
	Name string
	Type string
}

// goal is the first goal of a state taken apart: the hypotheses in order and
// the target after "⊢".
type goal struct {
	Hyps   []hypothesis
	Target string
}

// parseGoal reads one goal as Lean prints it: an optional "case tag" line,
// hypothesis lines "a b : T" (a long type continues on indented lines), and
// the "⊢ target" line, which may also continue on indented lines.
func parseGoal(text string) goal {
	var g goal
	lines := strings.Split(text, "\n")
	inTarget := false
	for _, line := range lines {
		switch {
		case inTarget:
			g.Target += " " + strings.TrimSpace(line)
		case strings.HasPrefix(line, "⊢"):
			inTarget = true
			g.Target = strings.TrimSpace(strings.TrimPrefix(line, "⊢"))
		case strings.HasPrefix(line, "case "):
		case len(line) > 0 && (line[0] == ' ' || line[0] == '\t'):
			if n := len(g.Hyps); n > 0 {
				// A continuation of a wrapped hypothesis; several names
				// share one type, so append to each of them.
				for i := n - 1; i >= 0 && g.Hyps[i].Type == g.Hyps[n-1].Type; i-- {
					g.Hyps[i].Type += " " + strings.TrimSpace(line)
				}
			}
		default:
			names, typ, ok := strings.Cut(line, " : ")
			if !ok {
				continue
			}
			for _, n := range strings.Fields(names) {
				g.Hyps = append(g.Hyps, hypothesis{Name: n, Type: strings.TrimSpace(typ)})
			}
		}
	}
	return g
}

// localNames returns the names of g's hypotheses.
func localNames(g goal) map[string]bool {
	m := make(map[string]bool, len(g.Hyps))
	for _, h := range g.Hyps {
		m[h.Name] = true
	}
	return m
}

// isIdentRune reports the characters of a Lean identifier as the traces
// print them: letters, digits, subscripts, _, ', !, ?, and ✝ of
// inaccessible names.
func isIdentRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '\'' || r == '!' || r == '?' ||
		r == '✝' || (r >= '₀' && r <= '₉') || (r >= 'ₐ' && r <= 'ₜ') || unicode.Is(unicode.No, r)
}

// token is one lexical unit of goal or tactic text.
type token struct {
	Text  string
	Ident bool // a (possibly dotted) identifier
}

// tokenize splits text into identifiers (dotted names kept whole) and single
// symbol characters; whitespace separates and is dropped.
func tokenize(text string) []token {
	var toks []token
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isIdentRune(r) && r != '\'' && r != '!' && r != '?':
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if isIdentRune(r2) {
					j += s2
					continue
				}
				// A dot continues a name only when an identifier follows.
				if r2 == '.' && j+1 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+1:])
					if isIdentRune(r3) && r3 != '\'' {
						j++
						continue
					}
				}
				break
			}
			toks = append(toks, token{Text: text[i:j], Ident: true})
			i = j
		default:
			toks = append(toks, token{Text: text[i : i+size]})
			i += size
		}
	}
	return toks
}

// featureCounts turns a state's first goal into bag-of-feature counts, the
// representation the nearest-neighbour index compares: target unigrams and
// bigrams, the target's head symbol, hypothesis-type unigrams, the parts of
// dotted names, and the number of goals.
func featureCounts(goals []string, add func(feature string)) {
	if len(goals) == 0 {
		return
	}
	g := parseGoal(goals[0])
	switch n := len(goals); {
	case n == 1:
		add("#1")
	case n <= 3:
		add("#2-3")
	default:
		add("#4+")
	}
	tt := tokenize(g.Target)
	prev := "^"
	for i, t := range tt {
		text := anonymize(t.Text)
		if i == 0 {
			add("^" + text)
		}
		add("T" + text)
		add("B" + prev + " " + text)
		prev = text
		if t.Ident && strings.Contains(t.Text, ".") {
			for _, part := range strings.Split(t.Text, ".") {
				add("T" + part)
			}
		}
	}
	for _, h := range g.Hyps {
		for _, t := range tokenize(h.Type) {
			add("H" + anonymize(t.Text))
			if t.Ident && strings.Contains(t.Text, ".") {
				for _, part := range strings.Split(t.Text, ".") {
					add("H" + part)
				}
			}
		}
	}
}

// anonymize maps inaccessible names (x✝, inst✝¹) to one token, so that
// their numbering does not split features.
func anonymize(s string) string {
	if strings.ContainsRune(s, '✝') {
		return "✝"
	}
	return s
}
