package theorems

import (
	"fmt"
	"strings"
	"unicode"
)

// A minimal lexical view of a Lean 4 file: enough to find commands,
// declarations, imports and `sorry` without Lean. It knows line comments
// (`--`), nested block comments (`/- … -/`, including `/--` and `/-!`) and
// string literals; it does not parse terms.

// masked returns src with every comment and string literal replaced by
// spaces (newlines kept, so offsets and lines are unchanged), and an error
// naming the line of an unterminated comment or string.
func masked(src string) (string, error) {
	out := []rune(src)
	rs := []rune(src)
	line := 1
	blank := func(from, to int) {
		for i := from; i < to; i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	for i := 0; i < len(rs); {
		switch {
		case rs[i] == '\n':
			line++
			i++
		case rs[i] == '-' && i+1 < len(rs) && rs[i+1] == '-':
			j := i
			for j < len(rs) && rs[j] != '\n' {
				j++
			}
			blank(i, j)
			i = j
		case rs[i] == '/' && i+1 < len(rs) && rs[i+1] == '-':
			start, startLine := i, line
			depth := 0
			for i < len(rs) {
				if rs[i] == '/' && i+1 < len(rs) && rs[i+1] == '-' {
					depth++
					i += 2
					continue
				}
				if rs[i] == '-' && i+1 < len(rs) && rs[i+1] == '/' {
					depth--
					i += 2
					if depth == 0 {
						break
					}
					continue
				}
				if rs[i] == '\n' {
					line++
				}
				i++
			}
			if depth != 0 {
				return "", fmt.Errorf("line %d: block comment never closed", startLine)
			}
			blank(start, i)
		case rs[i] == '"':
			start, startLine := i, line
			i++
			for i < len(rs) && rs[i] != '"' {
				if rs[i] == '\\' {
					i++
				}
				if i < len(rs) && rs[i] == '\n' {
					line++
				}
				i++
			}
			if i >= len(rs) {
				return "", fmt.Errorf("line %d: string literal never closed", startLine)
			}
			i++
			blank(start, i)
		default:
			i++
		}
	}
	return string(out), nil
}

// checkDelimiters reports the first unbalanced bracket of masked code.
func checkDelimiters(code string) error {
	type open struct {
		r    rune
		line int
	}
	closer := map[rune]rune{')': '(', ']': '[', '}': '{', '⟩': '⟨'}
	var stack []open
	line := 1
	for _, r := range code {
		switch r {
		case '\n':
			line++
		case '(', '[', '{', '⟨':
			stack = append(stack, open{r, line})
		case ')', ']', '}', '⟩':
			if len(stack) == 0 || stack[len(stack)-1].r != closer[r] {
				return fmt.Errorf("line %d: %q does not close anything open", line, r)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return fmt.Errorf("line %d: %q is never closed", top.line, top.r)
	}
	return nil
}

func isIdentRune(r rune) bool {
	return r == '_' || r == '\'' || r == '!' || r == '?' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) ||
		(r >= '₀' && r <= '₉')
}

// hasToken reports whether word occurs in code as a whole identifier.
func hasToken(code, word string) bool {
	for off := 0; ; {
		i := strings.Index(code[off:], word)
		if i < 0 {
			return false
		}
		i += off
		before, after := ' ', ' '
		if i > 0 {
			before = []rune(code[:i])[len([]rune(code[:i]))-1]
		}
		if j := i + len(word); j < len(code) {
			after = []rune(code[j:])[0]
		}
		if !isIdentRune(before) && !isIdentRune(after) {
			return true
		}
		off = i + len(word)
	}
}

// firstTopLevelAssign is the byte offset of the first `:=` outside any
// bracket in code, or -1.
func firstTopLevelAssign(code string) int {
	depth := 0
	for i, r := range code {
		switch r {
		case '(', '[', '{', '⟨':
			depth++
		case ')', ']', '}', '⟩':
			depth--
		case ':':
			if depth == 0 && strings.HasPrefix(code[i:], ":=") {
				return i
			}
		}
	}
	return -1
}
