package search

import (
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Key identifies a proof state in the search graph: a 128-bit FNV-1a hash
// of the normalized goal list. States with equal keys share one node.
//
// 128 bits make an accidental collision negligible (KataGo's GraphSearch
// notes argue for at least that much); the normalization below is what
// decides which printed states count as equal.
type Key [16]byte

// String renders the key as 32 hexadecimal digits.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// KeyOf returns the key of a goal list. It hashes NormalizeGoal of each goal,
// in the order given: goal order matters to Lean (tactics act on the first
// goal), so it is never normalized away.
func KeyOf(goals []string) Key {
	h := fnv.New128a()
	var n [8]byte
	for _, g := range goals {
		norm := NormalizeGoal(g)
		// A length prefix keeps ["a", "b"] and ["a\x00b"] apart.
		binary.LittleEndian.PutUint64(n[:], uint64(len(norm)))
		h.Write(n[:])
		io.WriteString(h, norm)
	}
	var k Key
	h.Sum(k[:0])
	return k
}

// Key returns the key of the state's goals (its Trace plays no part).
func (s State) Key() Key { return KeyOf(s.Goals) }

// NormalizeGoal puts one goal, as Lean prints it, into the canonical form
// that KeyOf hashes. The rules, in order:
//
//  1. Whitespace. A line that starts with whitespace continues the previous
//     line (Lean wraps long hypotheses and targets at its line width): it is
//     joined to it. Runs of spaces and tabs become one space; lines are
//     trimmed; empty lines are dropped.
//  2. Grouped hypotheses. "x y : T" is split into "x : T" and "y : T", so a
//     different grouping (which follows from a different order) does not
//     matter. Only lines whose part before the first " : " is a list of plain
//     names are split.
//  3. Hypothesis order. The hypothesis lines are sorted (by their text with
//     inaccessible-name suffixes erased, then by their full text). The
//     "case tag" line stays first and the "⊢ target" line stays last.
//  4. Inaccessible names. Lean marks names a tactic cannot refer to with "✝"
//     and numbers them with superscript digits ("x✝", "x✝¹", "a✝²") in an
//     order that depends on the path that built the state. Each distinct
//     inaccessible name is renumbered by first appearance in the sorted goal
//     ("x✝" becomes "x✝0", the next one "x✝1", …). Renumbering is a
//     bijection within the goal, so two goals that differ in how their
//     inaccessible names are used still differ.
//
// What is not normalized, so different states never collide: goal order,
// case tags, the targets and types themselves, accessible names, and
// anything inside a line beyond whitespace runs.
//
// One caveat: hypothesis order can matter to a few tactics (assumption picks
// the latest match, rename_i names the latest inaccessible ones). The search
// treats such states as one node; a proof it finds through a transposition
// is re-checked as a whole by the caller's verification step.
func NormalizeGoal(goal string) string {
	if isCanonical(goal) {
		return goal
	}
	return normalizeGoalSlow(goal)
}

// isCanonical reports, without allocating, that goal is already in the form
// NormalizeGoal produces, the common case for Lean's own output with short
// hypotheses. It may answer false for a canonical goal (the slow path then
// returns it unchanged), never true for one the slow path would change.
func isCanonical(goal string) bool {
	if goal == "" || goal[0] == ' ' || goal[0] == '\n' || goal[len(goal)-1] == ' ' || goal[len(goal)-1] == '\n' ||
		strings.ContainsAny(goal, "\t\r\v\f✝") ||
		strings.Contains(goal, "  ") || strings.Contains(goal, "\n\n") ||
		strings.Contains(goal, "\n ") || strings.Contains(goal, " \n") {
		return false
	}
	prev, first, target := "", true, false
	for rest := goal; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		switch {
		case target:
			return false // text after the target
		case strings.HasPrefix(line, "⊢"):
			target = true
			continue
		case first && strings.HasPrefix(line, "case "):
			first = false
			continue
		}
		first = false
		if i := strings.Index(line, " : "); i < 0 || strings.Contains(line[:i], " ") {
			return false // perhaps grouped, or not a plain hypothesis
		}
		if line < prev {
			return false
		}
		prev = line
	}
	return target
}

// normalizeGoalSlow applies the rules one by one.
func normalizeGoalSlow(goal string) string {
	lines := joinContinuations(goal)
	var caseLine, target string
	var hyps []string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "⊢"):
			if target == "" {
				target = l
			} else {
				target += " " + l
			}
		case strings.HasPrefix(l, "case ") && caseLine == "" && len(hyps) == 0 && target == "":
			caseLine = l
		case target != "":
			// Text after the target continues it.
			target += " " + l
		default:
			hyps = append(hyps, splitGrouped(l)...)
		}
	}
	sort.SliceStable(hyps, func(i, j int) bool {
		ei, ej := eraseInaccessible(hyps[i]), eraseInaccessible(hyps[j])
		if ei != ej {
			return ei < ej
		}
		return hyps[i] < hyps[j]
	})
	var b strings.Builder
	if caseLine != "" {
		b.WriteString(caseLine)
		b.WriteByte('\n')
	}
	for _, h := range hyps {
		b.WriteString(h)
		b.WriteByte('\n')
	}
	b.WriteString(target)
	return renumberInaccessible(b.String())
}

// joinContinuations applies rule 1.
func joinContinuations(goal string) []string {
	var out []string
	for _, raw := range strings.Split(goal, "\n") {
		continued := len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t')
		l := collapseSpaces(raw)
		if l == "" {
			continue
		}
		if continued && len(out) > 0 {
			out[len(out)-1] += " " + l
			continue
		}
		out = append(out, l)
	}
	return out
}

func collapseSpaces(s string) string {
	clean := len(s) > 0 && s[0] != ' ' && s[len(s)-1] != ' '
	for i := 0; clean && i < len(s); i++ {
		switch s[i] {
		case '\t', '\r', '\v', '\f':
			clean = false
		case ' ':
			clean = s[i+1] != ' '
		}
	}
	if clean {
		return s // the common case: nothing to collapse, nothing to allocate
	}
	return strings.Join(strings.Fields(s), " ")
}

// splitGrouped applies rule 2 to one hypothesis line.
func splitGrouped(l string) []string {
	i := strings.Index(l, " : ")
	if i < 0 {
		return []string{l}
	}
	names := strings.Fields(l[:i])
	if len(names) < 2 {
		return []string{l}
	}
	for _, n := range names {
		if !isPlainName(n) {
			return []string{l}
		}
	}
	rest := l[i:]
	out := make([]string, len(names))
	for j, n := range names {
		out[j] = n + rest
	}
	return out
}

func isPlainName(s string) bool {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '\'' || r == '.' || r == '✝' || r == '!' || r == '?' || isSuperscriptDigit(r) || isSubscript(r)) {
			return false
		}
	}
	return s != ""
}

func isSuperscriptDigit(r rune) bool {
	switch r {
	case '⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹':
		return true
	}
	return false
}

func isSubscript(r rune) bool { return r >= '₀' && r <= '₉' }

// eraseInaccessible drops the superscript digits after every "✝".
func eraseInaccessible(s string) string {
	if !strings.ContainsRune(s, '✝') {
		return s
	}
	var b strings.Builder
	after := false
	for _, r := range s {
		if after && isSuperscriptDigit(r) {
			continue
		}
		after = r == '✝'
		b.WriteRune(r)
	}
	return b.String()
}

// renumberInaccessible applies rule 4. An inaccessible name is a run of name
// characters, then "✝", then optional superscript digits.
func renumberInaccessible(s string) string {
	if !strings.ContainsRune(s, '✝') {
		return s
	}
	ids := map[string]int{}
	var b strings.Builder
	i := 0
	for i < len(s) {
		j := strings.IndexRune(s[i:], '✝')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		j += i
		// The base name runs back from the dagger over name characters.
		start := j
		for start > i {
			r, size := utf8.DecodeLastRuneInString(s[i:start])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '\'' || isSubscript(r)) {
				break
			}
			start -= size
		}
		end := j + len("✝")
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !isSuperscriptDigit(r) {
				break
			}
			end += size
		}
		name := s[start:end]
		id, ok := ids[name]
		if !ok {
			id = len(ids)
			ids[name] = id
		}
		b.WriteString(s[i:start])
		b.WriteString(s[start : j+len("✝")])
		b.WriteString(strconv.Itoa(id))
		i = end
	}
	return b.String()
}
