package leanrpc

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies what the lexer found. The lexer knows just enough of
// Lean's concrete syntax to tell code from comments and literals, which is
// what the sanitizer and the source parser need: a "sorry" inside a string
// is harmless, one in code is not, and a declaration keyword inside a
// comment starts nothing.
type tokenKind uint8

const (
	tokIdent   tokenKind = iota // foo, Foo.bar, h', x₁, «weird name», `name
	tokNumber                   // 42, 0x1F, 1.5
	tokString                   // "…", r#"…"#, 'c'
	tokComment                  // -- …, /- … -/ (nested), /-- doc -/
	tokSymbol                   // everything else; := and => are joined
)

type token struct {
	kind tokenKind
	text string
	off  int // byte offset in the source
	line int // 1-based
	col  int // 0-based byte column
	// first is true when no other token precedes this one on its line.
	first bool
	// glued is true when no whitespace separates this token from the
	// previous one (s!"…" is an identifier glued to a string).
	glued bool
}

// lexError reports an unterminated literal or comment.
type lexError struct {
	line, col int
	msg       string
}

func (e *lexError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col+1, e.msg) }

// lex splits src into tokens, dropping whitespace.
func lex(src string) ([]token, error) {
	var toks []token
	line, lineStart := 1, 0
	firstOnLine := true
	gap := true
	i := 0
	emit := func(kind tokenKind, start, end int) {
		toks = append(toks, token{kind: kind, text: src[start:end], off: start, line: line,
			col: start - lineStart, first: firstOnLine, glued: !gap && len(toks) > 0})
		firstOnLine = false
		gap = false
	}
	// advanceLines accounts for newlines inside a multi-line token.
	advanceLines := func(start, end int) {
		for j := start; j < end; j++ {
			if src[j] == '\n' {
				line++
				lineStart = j + 1
			}
		}
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			lineStart = i
			firstOnLine = true
			gap = true
			continue
		case c == ' ' || c == '\t' || c == '\r':
			i++
			gap = true
			continue
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			end := i
			for end < len(src) && src[end] != '\n' {
				end++
			}
			emit(tokComment, i, end)
			i = end
			gap = true
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '-':
			end, ok := blockCommentEnd(src, i)
			if !ok {
				return toks, &lexError{line, i - lineStart, "unterminated comment /- … -/"}
			}
			emit(tokComment, i, end)
			advanceLines(i, end)
			i = end
			gap = true
			continue
		case c == '"':
			end, ok := stringEnd(src, i)
			if !ok {
				return toks, &lexError{line, i - lineStart, "unterminated string literal"}
			}
			emit(tokString, i, end)
			advanceLines(i, end)
			i = end
			continue
		case c == '\'':
			if end, ok := charEnd(src, i); ok {
				emit(tokString, i, end)
				i = end
				continue
			}
			emit(tokSymbol, i, i+1)
			i++
			continue
		case c >= '0' && c <= '9':
			end := i + 1
			for end < len(src) && (isASCIIAlnum(src[end]) || src[end] == '_' ||
				(src[end] == '.' && end+1 < len(src) && src[end+1] >= '0' && src[end+1] <= '9')) {
				end++
			}
			emit(tokNumber, i, end)
			i = end
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == '«' || r == '`' || isIdentStart(r) {
			end := identEnd(src, i)
			if end > i {
				// r"…" and r#"…"# are raw strings, not the identifier r.
				if src[i:end] == "r" && end < len(src) && (src[end] == '"' || src[end] == '#') {
					if rend, ok := rawStringEnd(src, end); ok {
						emit(tokString, i, rend)
						advanceLines(i, rend)
						i = rend
						continue
					}
				}
				emit(tokIdent, i, end)
				i = end
				continue
			}
		}
		if r == utf8.RuneError && size == 1 {
			return toks, &lexError{line, i - lineStart, "invalid UTF-8"}
		}
		end := i + size
		if end < len(src) && ((c == ':' && src[end] == '=') || (c == '=' && src[end] == '>')) {
			end++
		}
		emit(tokSymbol, i, end)
		i = end
	}
	return toks, nil
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isIdentStart follows Lean's isIdFirst: letters, _, and letter-like
// symbols (Greek except λ Π Σ, the letterlike block); λ, Π and Σ are
// binder notation.
func isIdentStart(r rune) bool {
	if r == 'λ' || r == 'Π' || r == 'Σ' {
		return false
	}
	return r == '_' || unicode.IsLetter(r) || (r >= 0x2100 && r <= 0x214f) || (r >= 0x1d49c && r <= 0x1d59f)
}

// isIdentRest follows Lean's isIdRest.
func isIdentRest(r rune) bool {
	return isIdentStart(r) || unicode.IsDigit(r) || r == '\'' || r == '!' || r == '?' ||
		(r >= 0x2080 && r <= 0x209c) || (r >= 0x1d62 && r <= 0x1d6a) || r == 'ⱼ'
}

// identEnd returns the end of the (possibly dotted) identifier at i, which
// may also be a «quoted» part or a `name literal.
func identEnd(src string, i int) int {
	j := i
	for j < len(src) && src[j] == '`' {
		j++
	}
	for {
		r, size := utf8.DecodeRuneInString(src[j:])
		switch {
		case r == '«':
			k := j + size
			for k < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[k:])
				k += s2
				if r2 == '»' {
					break
				}
				if r2 == '\n' {
					return j
				}
			}
			j = k
		case isIdentStart(r):
			j += size
			for j < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[j:])
				if !isIdentRest(r2) {
					break
				}
				j += s2
			}
		default:
			return j
		}
		// A dot followed by another identifier part continues the name.
		if j+1 < len(src) && src[j] == '.' {
			r2, _ := utf8.DecodeRuneInString(src[j+1:])
			if isIdentStart(r2) || r2 == '«' {
				j++
				continue
			}
		}
		return j
	}
}

func blockCommentEnd(src string, i int) (int, bool) {
	depth := 0
	for j := i; j+1 < len(src); {
		switch {
		case src[j] == '/' && src[j+1] == '-':
			depth++
			j += 2
		case src[j] == '-' && src[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return j, true
			}
		default:
			j++
		}
	}
	return 0, false
}

func stringEnd(src string, i int) (int, bool) {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return 0, false
}

func charEnd(src string, i int) (int, bool) {
	j := i + 1
	if j >= len(src) || src[j] == '\n' || src[j] == '\'' {
		return 0, false
	}
	if src[j] == '\\' {
		j += 2
		for j < len(src) && j < i+12 && src[j] != '\'' && src[j] != '\n' {
			j++
		}
	} else {
		_, size := utf8.DecodeRuneInString(src[j:])
		j += size
	}
	if j < len(src) && src[j] == '\'' {
		return j + 1, true
	}
	return 0, false
}

// rawStringEnd handles r"…" and r#"…"# starting at the byte after r.
func rawStringEnd(src string, j int) (int, bool) {
	hashes := 0
	for j < len(src) && src[j] == '#' {
		hashes++
		j++
	}
	if j >= len(src) || src[j] != '"' {
		return 0, false
	}
	for k := j + 1; k < len(src); k++ {
		if src[k] != '"' {
			continue
		}
		n := 0
		for k+1+n < len(src) && n < hashes && src[k+1+n] == '#' {
			n++
		}
		if n == hashes {
			return k + 1 + n, true
		}
	}
	return 0, false
}
