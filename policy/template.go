package policy

import (
	"hash/fnv"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A template is a recorded tactic with its references to local hypotheses
// abstracted: "rw [hx, foo]" in a state with "hx : x ∈ s" becomes
// "rw [□, foo]" where □ remembers that it stood for a hypothesis of type
// "x ∈ s". Filling a template for a new state puts there the new state's
// hypothesis that best matches (TacticToe's and Tactician's argument
// abstraction, for local names).
type template struct {
	Text  string // normalized tactic
	Slots []slot // in text order, non-overlapping
}

// slot is a byte range of Text that named hypothesis Hyp of the recorded
// state (an index into its hypotheses), or, when Hyp is -1, the name of
// binder Binder of the recorded target's leading ∀ ("intro x hx" for
// "∀ x ∈ s, …"), with Prefix before it ("h" in "hx"; for a hypothesis,
// a new name made from a variable's), or, when Hyp is constSlot, the
// Binder-th constant of the recorded target.
type slot struct {
	Start, End int
	Hyp        int
	Binder     int
	Prefix     string
}

// constSlot is the Hyp of a slot that stands for a constant of the target.
const constSlot = -2

// constMark writes the i-th constant's slot in an abstract shape: "◈0".
// Shapes with one constant are counted with the bare "◈" in its place.
func constMark(i int) string { return "◈" + string(rune('0'+min(i, 9))) }

// makeTemplate finds the identifiers of tactic (normalized) that name a
// hypothesis of hyps, or start with one followed by a projection (h.1,
// h.symm), a binder of the target's leading ∀ (binders), or a constant of
// the target (consts, see targetConsts: "unfold harmonic" for a target about
// harmonic becomes "unfold ◈0"). Names bound later in the tactic itself are
// not told apart: the same name in the new state is the best guess for them
// too.
func makeTemplate(tactic string, hyps []hypothesis, binders, consts []string) template {
	return newTemplater(hyps, binders, consts).template(tactic)
}

// templater makes templates of many tactics for one state.
type templater struct {
	hypAt, binderAt, constAt map[string]int
}

func newTemplater(hyps []hypothesis, binders, consts []string) *templater {
	t := &templater{
		hypAt:    make(map[string]int, len(hyps)),
		binderAt: make(map[string]int, len(binders)),
		constAt:  make(map[string]int, len(consts)),
	}
	for i, c := range consts {
		t.constAt[c] = i
	}
	for i, b := range binders {
		if _, dup := t.binderAt[b]; !dup {
			t.binderAt[b] = i
		}
	}
	for i, h := range hyps {
		if !strings.ContainsRune(h.Name, '✝') {
			t.hypAt[h.Name] = i // later hypotheses shadow earlier ones
		}
	}
	return t
}

func (m *templater) template(tactic string) template {
	t := template{Text: tactic}
	if len(m.hypAt) == 0 && len(m.binderAt) == 0 && len(m.constAt) == 0 {
		return t
	}
	pos := 0
	for _, tok := range tokenize(tactic) {
		at := strings.Index(tactic[pos:], tok.Text)
		if at < 0 {
			break
		}
		start := pos + at
		pos = start + len(tok.Text)
		if !tok.Ident {
			continue
		}
		head, _, _ := strings.Cut(tok.Text, ".")
		if i, ok := m.hypAt[head]; ok {
			t.Slots = append(t.Slots, slot{Start: start, End: start + len(head), Hyp: i})
			continue
		}
		if i, ok := m.binderAt[tok.Text]; ok {
			t.Slots = append(t.Slots, slot{Start: start, End: pos, Hyp: -1, Binder: i})
		} else if i, ok := m.constAt[tok.Text]; ok {
			t.Slots = append(t.Slots, slot{Start: start, End: pos, Hyp: constSlot, Binder: i})
		} else if rest, ok := strings.CutPrefix(tok.Text, "h"); ok {
			if i, ok := m.binderAt[rest]; ok {
				t.Slots = append(t.Slots, slot{Start: start, End: pos, Hyp: -1, Binder: i, Prefix: "h"})
			} else if i, ok := m.hypAt[rest]; ok {
				// "ha" for a new fact about variable a ("rcases eq_or_ne a
				// 0 with rfl | ha"): it follows a's replacement.
				t.Slots = append(t.Slots, slot{Start: start, End: pos, Hyp: i, Prefix: "h"})
			}
		}
	}
	return t
}

// hypMatcher chooses, for a hypothesis of a recorded state, the hypothesis of
// the query state that should take its place.
type hypMatcher struct {
	binders  []string // of the query target's leading ∀
	consts   []string // of the query target (targetConsts)
	query    []hypothesis
	queryTok [][]uint32 // sorted distinct type tokens of each query hypothesis
}

func newHypMatcher(g goal) *hypMatcher {
	binders := targetBinders(g.Target)
	return &hypMatcher{query: g.Hyps, queryTok: hypTypeTokens(g.Hyps), binders: binders,
		consts: targetConsts(g, binders)}
}

// hypTypeTokens returns the type tokens of each hypothesis, with the names
// of the state's own variables and hypotheses replaced by one placeholder:
// "hx : x ∈ s" and "hz : z ∈ A" then look alike, as they should.
func hypTypeTokens(hyps []hypothesis) [][]uint32 {
	locals := make(map[string]bool, len(hyps))
	for _, h := range hyps {
		locals[h.Name] = true
	}
	out := make([][]uint32, len(hyps))
	for i, h := range hyps {
		out[i] = typeTokens(h.Type, locals)
	}
	return out
}

// match returns the query hypothesis name for recorded hypothesis h, which
// sat at position fromEnd counted from the last hypothesis, with sorted type
// tokens tok. The score prefers equal names, then similar types, then the
// same position from the end (the most recent hypothesis is often the one a
// tactic uses). ok is false when the query has no named hypotheses. runnerUp
// is the second best choice ("" when there is none), with its score.
func (m *hypMatcher) match(h hypothesis, tok []uint32, fromEnd int, taken map[string]bool) (best hypChoice, runnerUp hypChoice, ok bool) {
	best.Score, runnerUp.Score = -1, -1
	for i, q := range m.query {
		if strings.ContainsRune(q.Name, '✝') {
			continue
		}
		s := jaccard(tok, m.queryTok[i])
		if q.Name == h.Name {
			s += 0.6
		}
		if len(m.query)-1-i == fromEnd {
			s += 0.15
		}
		if taken[q.Name] {
			s -= 1 // two recorded hypotheses want two query hypotheses
		}
		switch {
		case s > best.Score:
			runnerUp = best
			best = hypChoice{q.Name, s}
		case s > runnerUp.Score && q.Name != best.Name:
			runnerUp = hypChoice{q.Name, s}
		}
	}
	best.Score, runnerUp.Score = max(best.Score, 0), max(runnerUp.Score, 0)
	return best, runnerUp, best.Name != ""
}

// hypChoice is a query hypothesis chosen for a slot and how well it fits.
type hypChoice struct {
	Name  string
	Score float64
}

// fill writes the template for the query: every slot takes the matching
// query hypothesis. recorded holds the recorded state's hypotheses and their
// type tokens. fit is the worst match score over the slots (1 without
// slots): how well the query's hypotheses stand in for the recorded ones.
// When the template refers to exactly one recorded hypothesis, alt is the
// text with the query's second best match for it instead, and altFit its
// score ("" and 0 otherwise): a tactic such as "simp [h]" or "exact h" is
// often right with another hypothesis than the likeliest one.
func (t template) fill(recorded []hypothesis, recordedTok [][]uint32, m *hypMatcher) (text string, fit float64, alt string, altFit float64) {
	if len(t.Slots) == 0 {
		return t.Text, 1, "", 0
	}
	fit = 1
	chosen := map[int]string{}
	taken := map[string]bool{}
	only, single := -1, true
	var second hypChoice
	for _, s := range t.Slots {
		if s.Hyp < 0 {
			continue
		}
		if s.Prefix != "" {
			// "rcases eq_or_ne a 0 with rfl | ha": the runner-up for a is
			// as likely a proof as a variable, and "hhx" names nothing.
			single = false
		}
		if only >= 0 && s.Hyp != only {
			single = false
		}
		if _, ok := chosen[s.Hyp]; ok {
			continue
		}
		only = s.Hyp
		best, runnerUp, ok := m.match(recorded[s.Hyp], recordedTok[s.Hyp], len(recorded)-1-s.Hyp, taken)
		if !ok {
			best = hypChoice{recorded[s.Hyp].Name, 0}
		}
		second = runnerUp
		chosen[s.Hyp] = best.Name
		taken[best.Name] = true
		fit = min(fit, best.Score)
	}
	text = t.write(chosen, m)
	if only >= 0 && single && second.Name != "" {
		chosen[only] = second.Name
		alt, altFit = t.write(chosen, m), second.Score
	}
	return text, fit, alt, altFit
}

// write puts the chosen query hypothesis into every hypothesis slot and the
// query's binder names into binder slots.
func (t template) write(chosen map[int]string, m *hypMatcher) string {
	var b strings.Builder
	prev := 0
	for _, s := range t.Slots {
		b.WriteString(t.Text[prev:s.Start])
		switch {
		case s.Hyp >= 0:
			b.WriteString(s.Prefix + chosen[s.Hyp])
		case s.Hyp == constSlot:
			if s.Binder < len(m.consts) {
				b.WriteString(m.consts[s.Binder])
			} else {
				b.WriteString(t.Text[s.Start:s.End])
			}
		case s.Binder < len(m.binders):
			b.WriteString(s.Prefix + m.binders[s.Binder])
		default:
			b.WriteString(t.Text[s.Start:s.End])
		}
		prev = s.End
	}
	b.WriteString(t.Text[prev:])
	return b.String()
}

// onlySlot returns the slot when every slot of t stands for one and the same
// thing (hypothesis i, binder i or constant i, with or without a prefix);
// ok is false when t has no slot or several things in them.
func (t template) onlySlot() (slot, bool) {
	if len(t.Slots) == 0 {
		return slot{}, false
	}
	first := t.Slots[0]
	for _, s := range t.Slots[1:] {
		if s.Hyp != first.Hyp || s.Hyp < 0 && s.Binder != first.Binder {
			return slot{}, false
		}
	}
	return first, true
}

// abstractText writes a template with "□" for its slots: the key under
// which tactics that differ only in hypothesis names are counted together.
func (t template) abstractText() string {
	var b strings.Builder
	prev := 0
	for _, s := range t.Slots {
		b.WriteString(t.Text[prev:s.Start])
		if s.Hyp == constSlot {
			b.WriteString(constMark(s.Binder))
		} else if s.Hyp < 0 {
			b.WriteString(s.Prefix + "◇" + string(rune('0'+min(s.Binder, 9))))
		} else {
			b.WriteString(s.Prefix + "□")
		}
		prev = s.End
	}
	b.WriteString(t.Text[prev:])
	return b.String()
}

// typeTokens returns the sorted distinct tokens of a hypothesis type, as
// 32-bit hashes: match compares many of them per query, and integers
// compare faster than strings (a collision only blurs one similarity).
func typeTokens(typ string, locals map[string]bool) []uint32 {
	toks := tokenize(typ)
	out := make([]uint32, 0, len(toks))
	for _, t := range toks {
		text := anonymize(t.Text)
		if locals[text] {
			text = "□"
		}
		h := fnv.New32a()
		h.Write([]byte(text))
		out = append(out, h.Sum32())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard is |a∩b| / |a∪b| for sorted distinct slices.
func jaccard(a, b []uint32) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// targetBinders returns the names bound by the leading ∀ of a target, in
// order: "∀ (x : α) {y : β}, …" gives x, y; "∀ x ∈ s, …" gives x; "∀ a b,
// …" gives a, b. Only the first ∀ group is read.
func targetBinders(target string) []string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(target), "∀")
	if !ok || !strings.HasPrefix(rest, " ") { // not ∀ᶠ and the like
		return nil
	}
	var names []string
	depth := 0
	collecting := true // at depth 0: names until a relation; in a group: until ':'
	for _, tok := range tokenize(rest) {
		switch tok.Text {
		case "(", "{", "[", "⦃":
			depth++
			collecting = true
			continue
		case ")", "}", "]", "⦄":
			depth--
			continue
		case ",":
			if depth == 0 {
				return names
			}
		case ":":
			collecting = false
			continue
		}
		if !tok.Ident {
			if depth == 0 {
				collecting = false
			}
			continue
		}
		if collecting {
			names = append(names, tok.Text)
		}
	}
	return names
}

// maxConsts is how many of a target's constants a template can refer to.
const maxConsts = 6

// targetConsts returns the distinct global names of g's target in order of
// appearance, at most maxConsts: identifiers that are not hypotheses, not
// names its ∀ binds, not keywords, not sorts or universes (Type, Prop,
// False, u_1), not a projection of a local or of a bound variable (s.card,
// p.1), nor variable-like (looksBound: ∑ i, fun x x_1, ℕ). These are the
// definitions a step unfolds or rewrites with ("unfold harmonic", "rw
// [Monic]", "simp [support]").
func targetConsts(g goal, binders []string) []string {
	skip := make(map[string]bool, len(g.Hyps)+len(binders))
	for _, h := range g.Hyps {
		skip[h.Name] = true
	}
	for _, b := range binders {
		skip[b] = true
	}
	var out []string
	for _, tok := range tokenize(g.Target) {
		if !tok.Ident || skip[tok.Text] || tacticKeywords[tok.Text] || notConstants[tok.Text] ||
			strings.ContainsRune(tok.Text, '✝') || strings.HasPrefix(tok.Text, "u_") {
			continue
		}
		r, _ := utf8.DecodeRuneInString(tok.Text)
		head, _, _ := strings.Cut(tok.Text, ".")
		if !unicode.IsLetter(r) || skip[head] || looksBound(head) {
			continue
		}
		skip[tok.Text] = true
		out = append(out, tok.Text)
		if len(out) == maxConsts {
			break
		}
	}
	return out
}

// notConstants are identifiers of goals that name no definition a tactic
// could unfold.
var notConstants = map[string]bool{"Type": true, "Sort": true, "Prop": true, "True": true, "False": true}

// looksBound reports whether a name is shaped like a variable rather than a
// definition: one letter followed only by digits, subscripts, primes or
// Lean's "_1" renaming (x, x₁, h', n2, x_1).
func looksBound(name string) bool {
	r, size := utf8.DecodeRuneInString(name)
	if !unicode.IsLetter(r) {
		return false
	}
	rest := name[size:]
	if i := strings.LastIndexByte(rest, '_'); i >= 0 && i == strings.IndexByte(rest, '_') && i+1 < len(rest) {
		rest = rest[:i] + rest[i+1:] // x_1: the suffix Lean adds to a shadowed name
	}
	for _, r := range rest {
		if !unicode.IsDigit(r) && r != '\'' && !(r >= '₀' && r <= '₉') {
			return false
		}
	}
	return true
}
