package policy

import (
	"strings"
	"unicode"

	"github.com/leanprove/leanprove/leanrpc"
)

// Reading lemma statements and goals as token lists: splitting a
// statement into binders, hypotheses and conclusion, normalizing how Lean
// prints them, and matching a conclusion against a goal with the lemma's
// variables as wildcards.

func allBound(typ, vars []string, b map[string]string) bool {
	for _, t := range typ {
		if _, ok := b[t]; !ok && isVar(t, vars) {
			return false
		}
	}
	return true
}

// match matches pattern tokens against goal tokens, a variable of the
// pattern standing for one token or one bracketed group, bound
// consistently. It returns the extended bindings (a copy) on success.
func match(pat, goal []string, vars []string, bindings map[string]string) (map[string]string, bool) {
	// Cheap rejections first: most premises fail on their head symbol.
	if len(pat) > len(goal) || len(pat) == 0 || (!isVar(pat[0], vars) && pat[0] != goal[0]) {
		return nil, false
	}
	b := make(map[string]string, len(bindings)+4)
	for k, v := range bindings {
		b[k] = v
	}
	i, j := 0, 0
	for i < len(pat) {
		if j >= len(goal) {
			return nil, false
		}
		if isVar(pat[i], vars) {
			end := j + 1
			if goal[j] == "(" {
				end = closing(goal, j) + 1
				if end == 0 {
					return nil, false
				}
			}
			text := strings.Join(goal[j:end], " ")
			if prev, ok := b[pat[i]]; ok && prev != text {
				return nil, false
			}
			b[pat[i]] = text
			i, j = i+1, end
			continue
		}
		if pat[i] != goal[j] {
			return nil, false
		}
		i, j = i+1, j+1
	}
	return b, j == len(goal)
}

// bound returns the names a type binds with ∀, ∃ or fun (after
// normalizeBinders: the names between the binder and its comma or =>).
func bound(typ []string) []string {
	var out []string
	for k := 0; k < len(typ); k++ {
		if typ[k] != "∀" && typ[k] != "∃" && typ[k] != "fun" {
			continue
		}
		for m := k + 1; m < len(typ) && typ[m] != "," && typ[m] != "=>"; m++ {
			if identStart([]rune(typ[m])[0]) {
				out = append(out, typ[m])
			}
		}
	}
	return out
}

func closing(toks []string, open int) int {
	depth := 0
	for k := open; k < len(toks); k++ {
		switch toks[k] {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

func isVar(t string, vars []string) bool {
	for _, v := range vars {
		if v == t {
			return true
		}
	}
	return false
}

// isArithmetic says whether omega can be expected to close a side
// condition: a comparison over variables, numerals and casts.
func isArithmetic(typ []string, vars []string) bool {
	cmp := false
	for _, t := range typ {
		switch t {
		case "≤", "<", "=", "≥", ">", "≠":
			cmp = true
		case "Nat", "Int", ":", "(", ")", "+", "-", "*", "/", "%", "∧", "↑":
		default:
			if !isVar(t, vars) && !isNumeral(t) {
				return false
			}
		}
	}
	return cmp
}

func isNumeral(t string) bool {
	for _, r := range t {
		if r < '0' || r > '9' {
			return false
		}
	}
	return t != ""
}

// features says whether a conclusion token counts in TF-IDF: identifiers
// and operators, not the premise's variables, numerals or brackets.
func features(t string, vars []string) bool {
	switch t {
	case "(", ")", ",", ":":
		return false
	}
	return !isNumeral(t) && !isVar(t, vars)
}

// parsePremise takes a declaration's statement apart: binders, then the
// type's leading ∀ binders and → antecedents, then the conclusion.
func parsePremise(d *leanrpc.Decl, ns string) (premise, bool) {
	// Not axioms: a proof citing one fails the axiom audit, yet the search
	// would stop at it as found.
	switch d.Kind {
	case "theorem", "lemma":
	default:
		return premise{}, false
	}
	if d.FullName == "" || strings.HasPrefix(d.Name, "_") {
		return premise{}, false
	}
	pr := premise{cite: d.FullName}
	// Inside its namespace a lemma is reachable by its short name, unless
	// it is protected.
	_, protected := declModifiers(d)
	if !protected && d.Namespace != "" && (ns == d.Namespace || strings.HasPrefix(ns, d.Namespace+".")) {
		pr.cite = d.Name
	}
	toks := leanTokens(d.Statement)
	i := 0
	for i < len(toks) {
		open := toks[i]
		closeTok, explicit := "", false
		switch open {
		case "(":
			closeTok, explicit = ")", true
		case "{":
			closeTok = "}"
		case "⦃":
			closeTok = "⦄"
		case "[":
			closeTok = "]"
		}
		if closeTok == "" {
			break
		}
		end := matchingClose(toks, i, open, closeTok)
		if end < 0 {
			return premise{}, false
		}
		group := toks[i+1 : end]
		colon := indexOf(group, ":")
		if colon > 0 && open != "[" {
			names := group[:colon]
			typ := normalizeBinders(group[colon+1:])
			for _, n := range names {
				pr.vars = append(pr.vars, n)
				if explicit {
					pr.hyps = append(pr.hyps, binder{name: n, typ: typ})
				}
			}
		}
		i = end + 1
	}
	if i >= len(toks) || toks[i] != ":" {
		return premise{}, false
	}
	implicit := forallImplicits(toks[i+1:])
	typ := normalizeBinders(toks[i+1:])
	pr.typ, pr.outer = typ, len(pr.hyps)
	// Leading ∀ binders and → antecedents are explicit arguments too,
	// except ∀ binders in braces, for which no argument is written.
	for {
		if len(typ) > 0 && typ[0] == "∀" {
			comma := indexOf(typ, ",")
			if comma < 0 {
				break
			}
			nth := countOf(pr.typ[:len(pr.typ)-len(typ)], "∀")
			for _, n := range typ[1:comma] {
				pr.vars = append(pr.vars, n)
				if nth < len(implicit) && implicit[nth][n] {
					continue
				}
				pr.hyps = append(pr.hyps, binder{name: n})
			}
			typ = typ[comma+1:]
			continue
		}
		arrow := topLevel(typ, "→")
		if arrow < 0 {
			break
		}
		pr.hyps = append(pr.hyps, binder{typ: typ[:arrow], prop: true})
		typ = typ[arrow+1:]
	}
	for k := range pr.hyps {
		if pr.hyps[k].typ != nil && isProp(pr.hyps[k].typ) {
			pr.hyps[k].prop = true
		}
		pr.hyps[k].bound = bound(pr.hyps[k].typ)
	}
	pr.conclusion = typ
	pr.equation = topLevel(typ, "=") >= 0 || topLevel(typ, "↔") >= 0
	return pr, true
}

// declModifiers reads the modifiers written before d's keyword (after its
// doc comment and attributes).
func declModifiers(d *leanrpc.Decl) (private, protected bool) {
	at := d.KeywordAt - d.Start
	if at <= 0 || at > len(d.Signature) {
		return false, false
	}
	prefix := d.Signature[:at]
	if k := strings.LastIndex(prefix, "-/"); k >= 0 {
		prefix = prefix[k+len("-/"):]
	}
	for _, w := range strings.Fields(prefix) {
		switch w {
		case "private":
			private = true
		case "protected":
			protected = true
		}
	}
	return private, protected
}

// forallImplicits lists, for each ∀ of a type in order, the names it binds
// in braces ({n} or ⦃n⦄): implicit arguments, which an application does
// not write. normalizeBinders drops the braces but keeps every ∀, so the
// k-th ∀ of its output is the k-th here.
func forallImplicits(toks []string) []map[string]bool {
	var out []map[string]bool
	for k := 0; k < len(toks); k++ {
		if toks[k] != "∀" {
			continue
		}
		names := map[string]bool{}
		depth, group, typed := 0, "", false
		m := k + 1
		for ; m < len(toks); m++ {
			t := toks[m]
			switch t {
			case "(", "[", "{", "⦃":
				if depth == 0 {
					group, typed = t, false
				}
				depth++
				continue
			case ")", "]", "}", "⦄":
				depth--
				continue
			}
			if depth == 0 && t == "," {
				break
			}
			if depth == 1 && t == ":" {
				typed = true
			}
			if depth == 1 && !typed && (group == "{" || group == "⦃") {
				names[t] = true
			}
		}
		out = append(out, names)
		if m < len(toks) {
			// normalizeBinders drops a ∀ inside a binder's type with the
			// type: skip it here too, or later ∀s would be miscounted.
			k = m
		}
	}
	return out
}

func countOf(toks []string, t string) int {
	n := 0
	for _, x := range toks {
		if x == t {
			n++
		}
	}
	return n
}

// isProp guesses whether a binder type is a proposition: a comparison or
// connective, or an application of a predicate that is not a known type.
func isProp(typ []string) bool {
	for _, t := range typ {
		switch t {
		case "=", "≠", "≤", "<", "≥", ">", "∧", "∨", "¬", "↔", "∃", "∀", "True", "False", "∣", "∈", "∉":
			return true
		}
	}
	if len(typ) < 2 || typ[0] == "(" {
		return false
	}
	switch typ[0] {
	case "Nat", "Int", "Bool", "Prop", "Type", "Sort", "List", "Array", "Fin", "String", "Option", "Real", "Rat":
		return false
	}
	return unicode.IsUpper([]rune(typ[0])[0]) && indexOf(typ, "→") < 0
}

func matchingClose(toks []string, i int, open, closeTok string) int {
	depth := 0
	for k := i; k < len(toks); k++ {
		switch toks[k] {
		case open:
			depth++
		case closeTok:
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// topLevel returns the index of the first occurrence of op outside
// brackets, or −1.
func topLevel(toks []string, op string) int {
	depth := 0
	for k, t := range toks {
		switch t {
		case "(", "[", "{", "⟨", "⦃":
			depth++
		case ")", "]", "}", "⟩", "⦄":
			depth--
		case op:
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

func indexOf(toks []string, t string) int {
	for k, x := range toks {
		if x == t {
			return k
		}
	}
	return -1
}

// stripCasts drops what Lean prints for coercions and type ascriptions,
// which the source writes differently: "↑x" and "((8192 : Nat) : Int)"
// both become the bare term; parentheses around one token go too.
func stripCasts(toks []string) []string {
	out := make([]string, 0, len(toks))
	for k := 0; k < len(toks); k++ {
		switch toks[k] {
		case "↑":
			continue
		case "(":
			end := closing(toks, k)
			if end < 0 {
				out = append(out, toks[k:]...)
				return out
			}
			inner := toks[k+1 : end]
			if colon := topLevel(inner, ":"); colon >= 0 {
				inner = inner[:colon]
			}
			inner = stripCasts(inner)
			if len(inner) == 1 {
				out = append(out, inner[0])
			} else {
				out = append(out, "(")
				out = append(out, inner...)
				out = append(out, ")")
			}
			k = end
		default:
			out = append(out, toks[k])
		}
	}
	return out
}

// normalizeBinders rewrites what Lean prints in several ways to one form:
// ℕ/ℤ as Nat/Int, "∀ (a b : T)," and "∀ a b : T," as "∀ a b,", and the
// binder predicate "∀ x < y," as "∀ x, x < y →".
func normalizeBinders(toks []string) []string {
	out := make([]string, 0, len(toks))
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		switch t {
		case "ℕ":
			t = "Nat"
		case "ℤ":
			t = "Int"
		}
		if t != "∀" {
			out = append(out, t)
			continue
		}
		comma := -1
		depth := 0
		for m := k + 1; m < len(toks); m++ {
			if toks[m] == "(" || toks[m] == "{" || toks[m] == "⦃" || toks[m] == "[" {
				depth++
			} else if toks[m] == ")" || toks[m] == "}" || toks[m] == "⦄" || toks[m] == "]" {
				depth--
			} else if toks[m] == "," && depth == 0 {
				comma = m
				break
			}
		}
		if comma < 0 {
			out = append(out, t)
			continue
		}
		head := toks[k+1 : comma]
		var names, pred []string
		for m := 0; m < len(head); m++ {
			h := head[m]
			switch {
			case h == "(" || h == ")" || h == "{" || h == "}" || h == "⦃" || h == "⦄":
			case h == "[":
				// an instance binder: it names nothing an application writes
				for m < len(head) && head[m] != "]" {
					m++
				}
			case h == ":":
				// skip the type up to the group's end
				for m+1 < len(head) && head[m+1] != ")" && head[m+1] != "}" && head[m+1] != "⦄" {
					m++
				}
			case h == "<" || h == "≤" || h == ">" || h == "≥" || h == "∈":
				pred = head[m:]
				m = len(head)
			default:
				names = append(names, h)
			}
		}
		out = append(out, "∀")
		out = append(out, names...)
		out = append(out, ",")
		if len(pred) > 0 && len(names) == 1 {
			out = append(out, names[0])
			out = append(out, pred...)
			out = append(out, "→")
		}
		k = comma
	}
	return stripCasts(out)
}

// leanTokens splits Lean text into identifiers (dotted names included),
// numerals and one-symbol tokens; => and := stay whole.
func leanTokens(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case identStart(r):
			j := i + 1
			for j < len(rs) && (identRest(rs[j]) || (rs[j] == '.' && j+1 < len(rs) && identStart(rs[j+1]))) {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		case r >= '0' && r <= '9':
			j := i + 1
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		case i+1 < len(rs) && (r == '=' || r == ':') && rs[i+1] == '>' || r == ':' && i+1 < len(rs) && rs[i+1] == '=':
			out = append(out, string(rs[i:i+2]))
			i += 2
		default:
			out = append(out, string(r))
			i++
		}
	}
	return out
}

func identStart(r rune) bool {
	return r == '_' || (unicode.IsLetter(r) && r != 'λ' && r != 'Π' && r != 'Σ' && r != 'ℕ' && r != 'ℤ')
}

func identRest(r rune) bool {
	return identStart(r) || unicode.IsDigit(r) || r == '\'' || r == '!' || r == '?' || r == '✝' ||
		(r >= '₀' && r <= '₉')
}
