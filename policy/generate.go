package policy

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Generating tactics never seen verbatim (TacticToe's argument prediction):
// most recorded tactics cite lemmas ("rw [mul_comm]", "exact le_top"), and a
// new state seldom needs exactly the lemma its nearest neighbour cited, but
// often one that some of its neighbours cite, in a shape that others use.
// So every neighbour votes twice more: for its tactic's shape with its one
// lemma abstracted ("rw [◆]", "simp only [◆] at h"), and for each lemma it
// cites. The best shapes are then filled with the best lemmas.

// lemmaUse is what a recorded tactic cites: its distinct lemma names, and
// the name that its shape abstracts when it cites exactly one lemma once.
type lemmaUse struct {
	Names  []string
	Single string
}

// tacticKeywords are identifiers that appear inside tactics without naming
// a lemma.
var tacticKeywords = map[string]bool{
	"at": true, "with": true, "using": true, "only": true, "fun": true, "generalizing": true,
	"then": true, "else": true, "if": true, "by": true, "in": true, "from": true, "show": true,
	"this": true, "says": true, "do": true, "match": true,
}

// looksLikeLemma tells lemma names from bound variables: Mathlib lemma
// names are snake_case or dotted, introduced names ("x", "hx", "ih") are
// neither, and a placeholder ("_", "_h") names nothing.
func looksLikeLemma(name string) bool {
	return !tacticKeywords[name] && !strings.HasPrefix(name, "_") &&
		(strings.ContainsRune(name, '_') || strings.ContainsRune(name, '.'))
}

// findLemmas lists the lemma names of a template outside its slots (the
// first token, the tactic's own name, never counts).
func findLemmas(t template) lemmaUse {
	var u lemmaUse
	count := map[string]int{}
	pos, si := 0, 0
	for i, tok := range tokenize(t.Text) {
		at := strings.Index(t.Text[pos:], tok.Text)
		if at < 0 {
			break
		}
		start := pos + at
		pos = start + len(tok.Text)
		for si < len(t.Slots) && t.Slots[si].End <= start {
			si++
		}
		inSlot := si < len(t.Slots) && t.Slots[si].Start <= start
		if i == 0 || !tok.Ident || inSlot || !looksLikeLemma(tok.Text) {
			continue
		}
		if count[tok.Text] == 0 {
			u.Names = append(u.Names, tok.Text)
		}
		count[tok.Text]++
	}
	if len(u.Names) == 1 && count[u.Names[0]] == 1 {
		u.Single = u.Names[0]
	}
	return u
}

// lemmaMark stands for the abstracted lemma in a shape.
const lemmaMark = "◆"

// abstractLemma replaces the whole-token occurrence of name in text by
// lemmaMark; ok is false when there is none.
func abstractLemma(text, name string) (string, bool) {
	for from := 0; ; {
		i := strings.Index(text[from:], name)
		if i < 0 {
			return "", false
		}
		start, end := from+i, from+i+len(name)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (start == 0 || !isIdentRune(before) && before != '.') && (end == len(text) || !isIdentRune(after) && after != '.') {
			return text[:start] + lemmaMark + text[end:], true
		}
		from = end
	}
}

// lemmaFills returns the best shapes of the neighbours filled with the
// lemmas they cite most, with their votes. weights are the neighbours'
// votes, total their sum.
func (l *Learned) lemmaFills(nbs []neighbor, weights []float64, total float64) map[string]float64 {
	shapes := map[string]float64{}
	lemmas := map[string]float64{}
	for i, nb := range nbs {
		w := weights[i]
		for _, name := range nb.lemma.Names {
			lemmas[name] += w
		}
		if nb.lemma.Single == "" {
			continue
		}
		if shape, ok := abstractLemma(nb.tactic, nb.lemma.Single); ok {
			shapes[shape] += w
		}
	}
	topShapes := topKeys(shapes, l.params.LemmaShapes)
	topLemmas := topKeys(lemmas, l.params.LemmaNames)
	scale := l.params.LemmaWeight / total
	votes := make(map[string]float64, len(topShapes)*len(topLemmas))
	for _, sh := range topShapes {
		for _, lm := range topLemmas {
			votes[strings.Replace(sh, lemmaMark, lm, 1)] += scale * shapes[sh] * lemmas[lm]
		}
	}
	return votes
}

// tacticHead is a tactic's name: its leading identifier, so that "rw[h]"
// and "simp[foo]" (which Lean accepts) count as rw and simp; or its first
// word when it starts with something else ("<;>", "·").
func tacticHead(t string) string {
	if end := strings.IndexFunc(t, func(r rune) bool { return !isIdentRune(r) }); end > 0 {
		return t[:end]
	}
	head, _, _ := strings.Cut(t, " ")
	return head
}

// topKeys returns the k keys of m with the largest values, ties broken by
// key so that the result does not depend on map order.
func topKeys(m map[string]float64, k int) []string {
	type kv struct {
		key string
		v   float64
	}
	all := make([]kv, 0, len(m))
	for key, v := range m {
		all = append(all, kv{key, v})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].v != all[j].v {
			return all[i].v > all[j].v
		}
		return all[i].key < all[j].key
	})
	keys := make([]string, 0, min(k, len(all)))
	for _, e := range all[:min(k, len(all))] {
		keys = append(keys, e.key)
	}
	return keys
}
