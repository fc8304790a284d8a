package leanrpc

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxTacticLen bounds a sanitized tactic, in bytes, when
// SanitizeOptions.MaxLen is zero. Mathlib's longest single-line tactics are
// a few hundred bytes; anything far beyond is a runaway generation.
const DefaultMaxTacticLen = 1024

// SanitizeOptions configures SanitizeTactic. The zero value is the strict
// default.
type SanitizeOptions struct {
	// AllowNativeDecide admits native_decide, decide +native and
	// Lean.ofReduceBool, which trust the compiler (the axiom audit of
	// Verify still reports Lean.ofReduceBool).
	AllowNativeDecide bool
	// MaxLen bounds the tactic in bytes; 0 means DefaultMaxTacticLen.
	MaxLen int
}

// SanitizeTactic checks that tactic is safe to splice into a proof document
// as one line of a top-level tactic block, and returns it in canonical form:
// surrounding whitespace trimmed, comments removed, tabs turned into spaces.
//
// It refuses (with an error wrapping ErrUnsafeTactic and a specific sentinel)
// a tactic that spans lines, uses sorry/admit/stop/sorryAx (in code, not in
// strings or comments), uses native code unless allowed, contains a keyword
// that ends the proof block or starts a new command (theorem, end, #exit,
// where, termination_by, …), has unbalanced brackets, strings or comments,
// contains control characters or invalid UTF-8, or is too long.
//
// The sanitizer is a first line of defence, not the soundness argument: a
// proof still counts only after Verify re-elaborates it and audits axioms.
func SanitizeTactic(tactic string, opts SanitizeOptions) (string, error) {
	maxLen := opts.MaxLen
	if maxLen <= 0 {
		maxLen = DefaultMaxTacticLen
	}
	if len(tactic) > 4*maxLen {
		// Refuse before scanning: a huge input costs nothing to reject.
		return "", fmt.Errorf("%w (%d bytes, limit %d)", ErrTacticTooLong, len(tactic), maxLen)
	}
	if !utf8.ValidString(tactic) {
		return "", fmt.Errorf("%w: invalid UTF-8", ErrBadCharacter)
	}
	tactic = strings.TrimSpace(strings.ReplaceAll(tactic, "\r\n", "\n"))
	if strings.ContainsAny(tactic, "\n\r\u2028\u2029\u0085\v\f") {
		return "", fmt.Errorf("%w: %q", ErrMultiline, abbreviate(tactic))
	}
	for _, r := range tactic {
		if r == '\t' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", fmt.Errorf("%w: %U in %q", ErrBadCharacter, r, abbreviate(tactic))
		}
	}
	tactic = strings.ReplaceAll(tactic, "\t", " ")

	toks, err := lex(tactic)
	if err != nil {
		return "", fmt.Errorf("%w: %v in %q", ErrUnbalanced, err.(*lexError).msg, abbreviate(tactic))
	}
	var out strings.Builder
	var stack []rune
	prevEnd := 0
	for i, t := range toks {
		if t.kind == tokComment {
			continue
		}
		if err := checkToken(toks, i, opts); err != nil {
			return "", fmt.Errorf("%w in %q", err, abbreviate(tactic))
		}
		if t.kind == tokSymbol {
			r, _ := utf8.DecodeRuneInString(t.text)
			if closer, ok := bracketPairs[r]; ok {
				stack = append(stack, closer)
			} else if isCloser(r) {
				if len(stack) == 0 || stack[len(stack)-1] != r {
					return "", fmt.Errorf("%w: unexpected %q in %q", ErrUnbalanced, r, abbreviate(tactic))
				}
				stack = stack[:len(stack)-1]
			}
		}
		if out.Len() > 0 && t.off > prevEnd {
			// Keep the original spacing, except where a comment was.
			if gap := tactic[prevEnd:t.off]; strings.TrimSpace(gap) == "" {
				out.WriteString(gap)
			} else {
				out.WriteByte(' ')
			}
		}
		out.WriteString(t.text)
		prevEnd = t.off + len(t.text)
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("%w: %q not closed in %q", ErrUnbalanced, stack[len(stack)-1], abbreviate(tactic))
	}
	result := strings.TrimSpace(out.String())
	if result == "" {
		return "", ErrEmptyTactic
	}
	if len(result) > maxLen {
		return "", fmt.Errorf("%w (%d bytes, limit %d)", ErrTacticTooLong, len(result), maxLen)
	}
	return result, nil
}

var bracketPairs = map[rune]rune{'(': ')', '[': ']', '{': '}', '⟨': '⟩', '⦃': '⦄', '⟦': '⟧', '⁅': '⁆', '‹': '›'}

func isCloser(r rune) bool {
	switch r {
	case ')', ']', '}', '⟩', '⦄', '⟧', '⁆', '›':
		return true
	}
	return false
}

// sorryWords are names whose use proves anything.
var sorryWords = map[string]bool{"sorry": true, "admit": true, "sorryAx": true, "stop": true, "apply?": true}

// nativeWords trust the compiler.
var nativeWords = map[string]bool{"native_decide": true, "ofReduceBool": true, "ofReduceNat": true, "trustCompiler": true}

// commandWords end a tactic block or begin a command when they appear as a
// whole token.
var commandWords = map[string]bool{
	"theorem": true, "lemma": true, "def": true, "example": true, "abbrev": true, "instance": true,
	"axiom": true, "structure": true, "class": true, "inductive": true, "coinductive": true,
	"namespace": true, "section": true, "end": true, "import": true, "mutual": true,
	"macro": true, "macro_rules": true, "syntax": true, "elab": true, "elab_rules": true,
	"notation": true, "infix": true, "infixl": true, "infixr": true, "prefix": true, "postfix": true,
	"attribute": true, "variable": true, "universe": true, "opaque": true, "noncomputable": true,
	"private": true, "protected": true, "partial": true, "unsafe": true, "deriving": true,
	"initialize": true, "builtin_initialize": true, "where": true, "termination_by": true,
	"decreasing_by": true, "run_cmd": true, "run_tac": true, "run_elab": true, "run_meta": true,
	"declare_syntax_cat": true, "add_decl_doc": true, "export": true, "omit": true, "include": true,
	"maxHeartbeats": true, "maxRecDepth": true, "unlock_limits": true, "debug.skipKernelTC": true,
	"implemented_by": true, "extern": true,
}

func checkToken(toks []token, i int, opts SanitizeOptions) error {
	t := toks[i]
	switch t.kind {
	case tokIdent:
		if commandWords[t.text] {
			return fmt.Errorf("%w: %q", ErrNewCommand, t.text)
		}
		for _, part := range strings.Split(strings.TrimLeft(t.text, "`"), ".") {
			part = strings.TrimSuffix(strings.TrimPrefix(part, "«"), "»")
			if sorryWords[part] {
				return fmt.Errorf("%w: %q", ErrSorry, t.text)
			}
			if !opts.AllowNativeDecide && nativeWords[part] {
				return fmt.Errorf("%w: %q", ErrNativeDecide, t.text)
			}
		}
		if !opts.AllowNativeDecide && t.text == "native" && i > 0 && toks[i-1].text == "+" {
			return fmt.Errorf("%w: %q", ErrNativeDecide, "+native")
		}
	case tokString:
		// s!"{sorry}", m!"…", f!"…" interpolate code.
		if i > 0 && t.glued && toks[i-1].kind == tokIdent && strings.HasSuffix(toks[i-1].text, "!") &&
			strings.Contains(t.text, "{") {
			return fmt.Errorf("%w: interpolated string %s runs code", ErrUnsafeTactic, toks[i-1].text)
		}
	case tokSymbol:
		// #exit, #print, #eval …: commands; #[…] is an array literal.
		if t.text == "#" && i+1 < len(toks) && toks[i+1].glued && toks[i+1].kind == tokIdent {
			return fmt.Errorf("%w: %q", ErrNewCommand, "#"+toks[i+1].text)
		}
		if t.text == "@" && i+1 < len(toks) && toks[i+1].glued && toks[i+1].text == "[" {
			return fmt.Errorf("%w: attribute %q", ErrNewCommand, "@[")
		}
	}
	return nil
}

func abbreviate(s string) string {
	const limit = 80
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
