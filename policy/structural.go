package policy

import (
	"regexp"
	"slices"
	"strings"
)

// Structural tactics: moves that the shape of a state dictates and whose
// arguments the state itself names, so that no recorded state has to have
// used them with these names. A target "∀ x ∈ s, P x" is entered with
// "intro x hx"; a hypothesis "h : ∃ y, y ∈ t ∧ f y = x" is taken apart with
// "obtain ⟨y, hy, rfl⟩ := h"; a ring R gets "nontriviality R". The names
// follow Mathlib's conventions (the binder's own name, h before it for its
// membership proof, rfl for an equation that substitutes a variable). The
// ranker weighs these candidates like any other: by how often their shape
// was used in states of the same kind.

// generator tells which structural generator proposed a candidate.
type generator int

const (
	genNone generator = iota
	genIntro
	genDestruct
	genNontrivial
	genIfSplit
	genCloser
	genCount // the number of generators (genNone included)
)

// structuralCandidates returns the structural tactics for goal g, each
// with the generator that made it, without duplicates.
func structuralCandidates(g goal) []structuralTactic {
	var out []structuralTactic
	seen := map[string]bool{}
	add := func(kind generator, t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, structuralTactic{t, kind})
		}
	}
	locals := localNames(g)
	for _, t := range introTactics(g.Target, locals) {
		add(genIntro, t)
	}
	named := 0
	for i := len(g.Hyps) - 1; i >= 0 && named < destructHyps; i-- {
		h := g.Hyps[i]
		if strings.ContainsRune(h.Name, '✝') {
			continue
		}
		named++
		for _, t := range destructTactics(h, locals) {
			add(genDestruct, t)
		}
	}
	for _, t := range nontrivialityTactics(g.Hyps) {
		add(genNontrivial, t)
	}
	for _, t := range ifSplitTactics(g) {
		add(genIfSplit, t)
	}
	for _, t := range closingTactics(g) {
		add(genCloser, t)
	}
	return out
}

// destructHyps is how many of the last named hypotheses are offered for
// taking apart.
const destructHyps = 6

// structuralTactic is a structural candidate and the generator that made it.
type structuralTactic struct {
	text string
	gen  generator
}

// introTactics proposes intro for a target that binds: the names of its
// first ∀ group, of its whole ∀ chain, and of the chain with the premises
// of its arrows ("h", or "hx" for a premise about x). "¬ P", "a ≠ b" and
// "s ⊆ t" are entered with "intro h" and "intro x hx". A target whose
// outer connective is ↔, ∧ or ∨ gets nothing: intro does not apply to it.
// The result has no duplicates.
func introTactics(target string, locals map[string]bool) []string {
	target = strings.TrimSpace(target)
	rel := outerRelation(target)
	if rel == "↔" || rel == "∧" || rel == "∨" {
		return nil
	}
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	switch {
	case strings.HasPrefix(target, "¬"):
		return []string{"intro h"}
	case rel == "≠" || rel == "∉":
		add("intro h")
		if l, r, ok := strings.Cut(target, " ≠ "); ok && (isLocalVar(strings.TrimSpace(l), locals) || isLocalVar(strings.TrimSpace(r), locals)) {
			add("rintro rfl") // a ≠ b with a variable: substitute it away
		}
		return out
	case rel == "⊆":
		return []string{"intro x hx"}
	case rel == "none":
		if names, ok := unfoldedBinders(target); ok {
			return names
		}
	}
	var names []string
	used := map[string]bool{}
	body := target
	firstGroup := 0
	for strings.HasPrefix(body, "∀") && !strings.HasPrefix(body, "∀ᶠ") {
		binders, rest, ok := cutOuterComma(strings.TrimPrefix(body, "∀"))
		if !ok {
			break
		}
		group, complete := binderGroupNames(binders)
		for _, n := range group {
			used[n] = true
		}
		names = append(names, group...)
		if firstGroup == 0 {
			firstGroup = len(names)
		}
		if !complete {
			// An instance binder: intro can enter the names before it,
			// and naming the instance is left to the prover's own moves.
			body = ""
			break
		}
		body = strings.TrimSpace(rest)
	}
	bodyRel := outerRelation(body)
	if firstGroup > 0 {
		add("intro " + strings.Join(names[:firstGroup], " "))
		add("intro " + strings.Join(names, " "))
		if firstGroup > 1 {
			add("intro " + names[0])
		}
		if strings.HasPrefix(body, "¬") && bodyRel != "↔" && bodyRel != "∧" && bodyRel != "∨" || bodyRel == "∉" || bodyRel == "≠" {
			// The negation is an arrow to False, entered with one more name.
			add("intro " + strings.Join(names, " ") + " h")
		}
	}
	if bodyRel != "→" {
		return out
	}
	premises := splitOuter(body, " → ")
	all := append([]string(nil), names...)
	for _, p := range premises[:len(premises)-1] {
		all = append(all, premiseName(p, names, used))
	}
	add("intro " + strings.Join(all, " "))
	if last := all[len(all)-1]; len(premises) == 2 && last != "h" && !used["h"] {
		// "h" is as common a name for a premise as "hx".
		add("intro " + strings.Join(all[:len(all)-1], " ") + " h")
	}
	if len(names) == 0 && len(all) > 1 {
		add("intro " + all[0])
	}
	if p := stripParens(premises[0]); len(names) == 0 && strings.HasPrefix(p, "∃") {
		if pat := destructPattern(p, locals, map[string]bool{}); len(pat) > 1 {
			add("rintro ⟨" + strings.Join(pat, ", ") + "⟩")
		}
	}
	return out
}

// unfoldedBinders enters predicates that are ∀ statements under their
// definitions, with the names Mathlib proofs give: Injective f is ∀ a b,
// f a = f b → a = b; Surjective f is ∀ b, ∃ a, f a = b; Monotone f is
// ∀ a b, a ≤ b → f a ≤ f b; InjOn f s is ∀ a ∈ s, ∀ b ∈ s, f a = f b →
// a = b. It only reads the head word, so the caller must make sure the
// target is that predicate alone (no connective around it).
func unfoldedBinders(target string) ([]string, bool) {
	head, _, _ := strings.Cut(target, " ")
	head = head[strings.LastIndexByte(head, '.')+1:]
	switch head {
	case "Injective", "Monotone", "StrictMono", "Antitone", "StrictAnti":
		return []string{"intro x y h", "intro a b h", "intro x y hxy", "intro a b hab"}, true
	case "InjOn", "MonotoneOn", "StrictMonoOn", "AntitoneOn", "StrictAntiOn":
		return []string{"intro x hx y hy h", "intro a ha b hb hab", "intro x hx y hy hxy"}, true
	case "Surjective":
		return []string{"intro y", "intro b"}, true
	}
	return nil, false
}

// binderGroupNames reads the names one ∀ binds ("(a b : α) {c : β}", "x ∈
// s", "ε > 0", "x y"): a bounded binder adds "h" and the name for its
// proof. complete is false at an instance binder ("[inst : C α]"): names
// holds the binders before it.
func binderGroupNames(binders string) (names []string, complete bool) {
	toks := tokenize(binders)
	for i := 0; i < len(toks); i++ {
		switch t := toks[i].Text; {
		case t == "[":
			return names, false
		case t == "(" || t == "{" || t == "⦃":
			j := i + 1
			var group []string
			for ; j < len(toks) && toks[j].Text != ":" && toks[j].Ident; j++ {
				group = append(group, toks[j].Text)
			}
			names = append(names, group...)
			depth := 1
			for j = i + 1; j < len(toks) && depth > 0; j++ {
				switch toks[j].Text {
				case "(", "{", "⦃", "[":
					depth++
				case ")", "}", "⦄", "]":
					depth--
				}
			}
			i = j - 1
		case toks[i].Ident:
			names = append(names, t)
		case t == ":":
			return names, true // "∀ x y : α," binds x and y
		default: // a relation: "∀ x ∈ s," binds x and a proof of x ∈ s
			if len(names) > 0 {
				names = append(names, "h"+names[len(names)-1])
			}
			return names, true
		}
	}
	return names, true
}

// premiseName names the proof of an arrow's premise: "hx" when the premise
// is about exactly one of the names bound before it, else "h", made unique
// with primes.
func premiseName(premise string, bound []string, used map[string]bool) string {
	name := "h"
	var about []string
	for _, b := range bound {
		if !strings.HasPrefix(b, "h") && containsWord(premise, b) {
			about = append(about, b)
		}
	}
	if len(about) == 1 {
		name = "h" + about[0]
	}
	for used[name] {
		name += "'"
	}
	used[name] = true
	return name
}

// destructTactics takes apart a hypothesis that is an ∃, an ∧ or an ∨.
func destructTactics(h hypothesis, locals map[string]bool) []string {
	typ := strings.TrimSpace(h.Type)
	switch {
	case strings.HasPrefix(typ, "∃") && !strings.HasPrefix(typ, "∃!"), outerRelation(typ) == "∧":
		pat := destructPattern(typ, locals, map[string]bool{})
		if len(pat) < 2 {
			return nil
		}
		p := "⟨" + strings.Join(pat, ", ") + "⟩"
		out := []string{"obtain " + p + " := " + h.Name, "rcases " + h.Name + " with " + p}
		if len(pat) == 2 && !slices.Contains(pat, "rfl") {
			// cases' takes names, not patterns: "rfl" there would name a
			// hypothesis rfl and substitute nothing.
			out = append(out, "cases' "+h.Name+" with "+pat[0]+" "+pat[1])
		}
		return out
	case outerRelation(typ) == "∨":
		n := h.Name
		return []string{"rcases " + n + " with " + n + " | " + n, "cases' " + n + " with " + n + " " + n,
			"obtain " + n + " | " + n + " := " + n}
	}
	return nil
}

// destructPattern names the parts of an ∃/∧ type the way Mathlib proofs
// do: the witnesses by their binder names, each proof "h" and the last
// witness, and an equation that defines a local variable "rfl".
func destructPattern(typ string, locals, used map[string]bool) []string {
	var parts []string
	last := ""
	for range 8 {
		typ = strings.TrimSpace(typ)
		if strings.HasPrefix(typ, "∃") && !strings.HasPrefix(typ, "∃!") {
			binders, rest, ok := cutOuterComma(strings.TrimPrefix(typ, "∃"))
			if !ok {
				break
			}
			names, _ := binderGroupNames(binders)
			for _, n := range names {
				used[n] = true
				if !strings.HasPrefix(n, "h") || len(names) == 1 {
					last = n
				}
			}
			parts = append(parts, names...)
			typ = rest
			continue
		}
		conj := splitOuter(typ, " ∧ ")
		for i, c := range conj {
			if i == len(conj)-1 && strings.HasPrefix(strings.TrimSpace(c), "∃") {
				typ = c
				break
			}
			parts = append(parts, proofName(c, last, locals, used))
			if i == len(conj)-1 {
				return parts
			}
		}
		if len(conj) == 1 {
			return parts
		}
	}
	return parts
}

// proofName names the proof of one conjunct: rfl for "e = x" or "x = e"
// with x a variable of the context, else "h" followed by the last witness.
func proofName(prop string, witness string, locals, used map[string]bool) string {
	if l, r, ok := strings.Cut(strings.TrimSpace(prop), " = "); ok {
		if isLocalVar(strings.TrimSpace(r), locals) || isLocalVar(strings.TrimSpace(l), locals) {
			return "rfl"
		}
	}
	name := "h" + witness
	for used[name] {
		name += "'"
	}
	used[name] = true
	return name
}

// isLocalVar reports whether s is one name of the context (not a term).
func isLocalVar(s string, locals map[string]bool) bool {
	return locals[s] && !strings.ContainsAny(s, " ()")
}

// ringClass matches the instance hypotheses after which nontriviality
// applies: the type variable is the last word.
var ringClass = regexp.MustCompile(`^(Comm|Ordered|LinearOrdered|StrictOrdered|Normed|Local)*(Semi)?(Ring|Field|DivisionRing|Domain|CommRing|Semiring)\s+(\S+)$`)

// nontrivialityTactics proposes "nontriviality R" for each type R with a
// ring-like instance.
func nontrivialityTactics(hyps []hypothesis) []string {
	var out []string
	seen := map[string]bool{}
	for _, h := range hyps {
		m := ringClass.FindStringSubmatch(strings.TrimSpace(h.Type))
		if m == nil {
			continue
		}
		if r := m[len(m)-1]; !seen[r] && len(out) < 2 {
			seen[r] = true
			out = append(out, "nontriviality "+r)
		}
	}
	return out
}

// ifSplitTactics splits on the conditions of the target's if-then-else
// (at most two): "by_cases h : C" and "split_ifs with h", and, where a
// hypothesis decides C, "rw [if_pos h]" or "rw [if_neg h]" (dif_pos and
// dif_neg, and the if's own name, for a dependent "if h : C then"). A
// condition about a variable bound inside the target (under ∑, fun or ∀)
// is skipped: by_cases cannot name it and split_ifs does not reach it.
func ifSplitTactics(g goal) []string {
	var out []string
	locals := localNames(g)
	rest := g.Target
	for found := 0; found < 2; {
		i := strings.Index(rest, "if ")
		if i < 0 {
			break
		}
		if i > 0 && isIdentRune(lastRune(rest[:i])) { // "bif ", "motif "
			rest = rest[i+len("if "):]
			continue
		}
		cond, after, ok := strings.Cut(rest[i+len("if "):], " then ")
		if !ok {
			break
		}
		rest = after
		cond, name := strings.TrimSpace(cond), "h"
		pos, neg := "if_pos", "if_neg"
		if toks := tokenize(cond); len(toks) > 2 && toks[0].Ident && toks[1].Text == ":" {
			// A dependent if names its proof: "if hp : P then".
			name = toks[0].Text
			cond = strings.TrimSpace(cond[strings.Index(cond, ":")+1:])
			pos, neg = "dif_pos", "dif_neg"
		}
		if cond == "" || strings.Count(cond, "(") != strings.Count(cond, ")") || mentionsBound(cond, locals) {
			continue
		}
		found++
		out = append(out, "by_cases "+name+" : "+cond, "split_ifs with "+name)
		for _, h := range g.Hyps {
			switch strings.TrimSpace(h.Type) {
			case cond:
				out = append(out, "rw ["+pos+" "+h.Name+"]")
			case "¬" + cond, "¬(" + cond + ")", negate(cond):
				out = append(out, "rw ["+neg+" "+h.Name+"]")
			}
		}
	}
	return out
}

// mentionsBound reports whether text names a variable that is not in the
// context: a short name (x, i, x₁, x_1) that no hypothesis declares is
// bound by a binder around it.
func mentionsBound(text string, locals map[string]bool) bool {
	for _, t := range tokenize(text) {
		if t.Ident && !locals[t.Text] && looksBound(t.Text) {
			return true
		}
	}
	return false
}

// negate writes "a ≠ b" for "a = b" and "a ∉ s" for "a ∈ s" (how Lean
// prints their negations); "" for anything else, "x = 0 ∧ y = 1" included.
func negate(cond string) string {
	rel := outerRelation(cond)
	if rel != "=" && rel != "∈" {
		return ""
	}
	for _, p := range [][2]string{{" = ", " ≠ "}, {" ∈ ", " ∉ "}} {
		if l, r, ok := strings.Cut(cond, p[0]); ok {
			return l + p[1] + r
		}
	}
	return ""
}

// closingTactics proposes the terms that close the goal outright when its
// target is, syntactically, a hypothesis, a part or the mirror image of
// one, or a reflexive or extreme instance of an order: exact h, exact
// h.symm, exact h.1, exact le_rfl, exact Iff.rfl, exact le_top, exact
// h.elim for h : False, exact absurd h h' for h : P and h' : ¬P.
func closingTactics(g goal) []string {
	var out []string
	target := strings.TrimSpace(g.Target)
	for _, h := range g.Hyps {
		if strings.ContainsRune(h.Name, '✝') {
			continue
		}
		typ := strings.TrimSpace(h.Type)
		switch {
		case typ == target:
			out = append(out, "exact "+h.Name)
		case typ == "False":
			out = append(out, "exact "+h.Name+".elim")
		case mirrored(typ, target):
			out = append(out, "exact "+h.Name+".symm")
		case outerRelation(typ) == "∧":
			if parts := splitOuter(typ, " ∧ "); len(parts) == 2 {
				switch target {
				case strings.TrimSpace(parts[0]):
					out = append(out, "exact "+h.Name+".1", "exact "+h.Name+".left")
				case strings.TrimSpace(parts[1]):
					out = append(out, "exact "+h.Name+".2", "exact "+h.Name+".right")
				}
			}
		}
		if neg, ok := strings.CutPrefix(typ, "¬"); ok {
			for _, p := range g.Hyps {
				if strings.TrimSpace(p.Type) == strings.TrimSpace(stripParens(neg)) {
					out = append(out, "exact absurd "+p.Name+" "+h.Name)
				}
			}
		}
	}
	if sides := splitOuter(target, " ≤ "); len(sides) == 2 {
		l, r := strings.TrimSpace(sides[0]), strings.TrimSpace(sides[1])
		switch {
		case l == r:
			out = append(out, "exact le_rfl", "exact le_refl _")
		case r == "⊤":
			out = append(out, "exact le_top")
		case l == "⊥":
			out = append(out, "exact bot_le")
		}
	}
	if sides := splitOuter(target, " ↔ "); len(sides) == 2 && strings.TrimSpace(sides[0]) == strings.TrimSpace(sides[1]) {
		out = append(out, "exact Iff.rfl")
	}
	return out
}

// mirrored reports whether a and b are the same relation (=, ≠, ↔) with
// their sides swapped: a proof of one is .symm of the other.
func mirrored(a, b string) bool {
	for _, rel := range []string{" = ", " ≠ ", " ↔ "} {
		x, y := splitOuter(a, rel), splitOuter(b, rel)
		if len(x) == 2 && len(y) == 2 && strings.TrimSpace(x[0]) == strings.TrimSpace(y[1]) &&
			strings.TrimSpace(x[1]) == strings.TrimSpace(y[0]) {
			return true
		}
	}
	return false
}
