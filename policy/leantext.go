package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reading Lean's pretty-printed goals as text: the outer relation of a
// proposition, the binders before a ∀ or ∃ body, splitting at a connective
// outside brackets. Goals come as the language server prints them, so these
// work on tokens and bracket depth, not on a Lean parser.

// relations are the binary relations and connectives a target's shape
// records, loosest-binding first: the first one found at the outer level
// of the target is its relation.
var relations = []string{"↔", "→", "∨", "∧", "=", "≠", "≤", "<", "≥", ">", "∈", "∉", "⊆", "⊂", "∣", "≃", "≅", "⟶", "≡"}

// outerRelation returns the loosest relation of relations that occurs in
// text outside brackets, or "none". A binder (∀, ∃, fun, λ) met outside
// brackets reaches to the end of the text, so what follows it is its body's
// relation, not the text's: "∀ x, p x ∧ q x" has none, "p ∧ ∀ x, q x" has ∧.
// Big operators (∑, ∏, ⋃) bind tighter than relations and do not stop it.
func outerRelation(text string) string {
	found := map[string]bool{}
	depth := 0
	for _, t := range tokenize(text) {
		switch t.Text {
		case "(", "[", "{", "⟨", "⦃":
			depth++
		case ")", "]", "}", "⟩", "⦄":
			depth--
		default:
			if depth == 0 && !t.Ident {
				found[t.Text] = true
			}
		}
		if depth == 0 && (t.Text == "fun" || t.Text == "λ" || t.Text == "∀" || t.Text == "∃") {
			break
		}
	}
	for _, r := range relations {
		if found[r] {
			return r
		}
	}
	return "none"
}

// cutOuterComma splits a binder-led text ("∀ x ∈ s, P x") at its first
// comma outside brackets.
func cutOuterComma(text string) (binders, rest string, ok bool) {
	depth := 0
	for i, r := range text {
		switch r {
		case '(', '[', '{', '⟨', '⦃':
			depth++
		case ')', ']', '}', '⟩', '⦄':
			depth--
		case ',':
			if depth == 0 {
				return text[:i], text[i+1:], true
			}
		}
	}
	return "", "", false
}

// isUpperStart reports whether s starts with an upper-case letter (Nonempty,
// Λ, 𝓝): the head of a class or structure goal.
func isUpperStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// containsWord reports whether word occurs in text as a whole token.
func containsWord(text, word string) bool {
	_, ok := abstractLemma(text, word)
	return ok
}

// lastRune is the last character of s.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// splitOuter splits text at each occurrence of sep outside brackets.
func splitOuter(text, sep string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '(', '[', '{', '⟨', '⦃':
			depth++
		case ')', ']', '}', '⟩', '⦄':
			depth--
		}
		if depth == 0 && strings.HasPrefix(text[i:], sep) {
			parts = append(parts, text[start:i])
			i += len(sep)
			start = i
			continue
		}
		i += size
	}
	return append(parts, text[start:])
}

// stripParens removes the parentheses around the whole of text, if any.
func stripParens(text string) string {
	text = strings.TrimSpace(text)
	for strings.HasPrefix(text, "(") && strings.HasSuffix(text, ")") {
		inner := text[1 : len(text)-1]
		depth := 0
		for _, r := range inner {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth < 0 {
				return text // "(a) ∧ (b)": the parentheses are not one pair
			}
		}
		text = strings.TrimSpace(inner)
	}
	return text
}
