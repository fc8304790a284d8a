package policy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/search"
)

// Premises proposes the project's own lemmas: the theorems declared before
// the theorem under proof in its file and in the project files it imports.
// Neither the portfolio nor a model trained on Mathlib can cite them, yet
// they are what a project's proofs mostly apply.
//
// For a state it ranks the premises by how well their conclusion matches
// the first goal's target: an exact match with the premise's variables as
// wildcards (bound consistently) counts most, then the TF-IDF cosine of the
// identifiers and operators (variables, bound names and numerals ignored).
// For each of the top premises it proposes `exact L h1 h2 …` when every
// explicit hypothesis is filled by a goal hypothesis of the same shape or by
// `(by omega)` for a linear-arithmetic side condition, `refine L … ?_ …`
// when some are not, `apply L`, and `rw [L]`, `simp only [L]`, `simp [L]`
// for equations. Priors are ranks on the portfolio's scale: a fully filled
// exact of a matching premise (0.6) sits above the portfolio's `exact h`
// (0.43), while premises whose conclusion does not match are guesses kept
// at most 0.175, below the portfolio's finishers for the goal's shape.
// Deterministic, and allocation-light enough for a few hundred premises in
// well under a millisecond per state.
type Premises struct {
	premises []premise
	idf      map[string]float64
}

// A premise is one citable lemma, its statement taken apart.
type premise struct {
	cite       string       // the name as the theorem under proof can write it
	vars       []string     // every binder name: the pattern's wildcards
	hyps       []binder     // explicit binders in order (data and hypotheses)
	conclusion []string     // tokens of the conclusion
	typ        []string     // the whole type after the colon, ∀s and →s included
	outer      int          // how many of hyps are binders before the colon
	equation   bool         // conclusion is an = or ↔ (a rewrite rule)
	weights    []termWeight // the conclusion's TF-IDF vector, sorted by term
	norm       float64
}

type termWeight struct {
	term   string
	weight float64
}

type binder struct {
	name  string
	typ   []string
	prop  bool     // a hypothesis, not a term argument
	bound []string // names typ binds (∀, ∃, fun): wildcards local to it
}

// NewPremises builds the policy from the declarations available to a
// theorem in namespace ns (its Decl.Namespace), oldest first. Declarations
// that state nothing citable (examples, defs, instances) are skipped.
func NewPremises(decls []leanrpc.Decl, ns string) *Premises {
	p := &Premises{idf: map[string]float64{}}
	df := map[string]int{}
	for i := range decls {
		pr, ok := parsePremise(&decls[i], ns)
		if !ok {
			continue
		}
		seen := map[string]bool{}
		for _, t := range pr.conclusion {
			if features(t, pr.vars) && !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
		p.premises = append(p.premises, pr)
	}
	n := float64(len(p.premises))
	for t, d := range df {
		p.idf[t] = math.Log(1 + n/float64(d))
	}
	for i := range p.premises {
		pr := &p.premises[i]
		w := p.tfidf(pr.conclusion, pr.vars)
		pr.norm = vecNorm(w)
		for t, x := range w {
			pr.weights = append(pr.weights, termWeight{t, x})
		}
		sort.Slice(pr.weights, func(a, b int) bool { return pr.weights[a].term < pr.weights[b].term })
	}
	return p
}

// Len is how many premises the policy cites from.
func (p *Premises) Len() int { return len(p.premises) }

// PremisesFor builds the policy for a located theorem: the declarations
// before it in its file, after those of the project files it imports
// (transitively; modules outside the project, such as Mathlib, are not
// read). An imported file that cannot be read or parsed is left out and
// named in the returned error, next to a usable policy.
func PremisesFor(ctx context.Context, t *leanrpc.Target) (*Premises, error) {
	var decls []leanrpc.Decl
	var errs []error
	seen := map[string]bool{}
	roots := sourceRoots(t)
	var visit func(imports []string)
	visit = func(imports []string) {
		for _, mod := range imports {
			if seen[mod] || ctx.Err() != nil {
				continue
			}
			seen[mod] = true
			path := moduleFile(roots, mod)
			if path == "" {
				continue // not a project module (Mathlib, Std, core)
			}
			src, err := leanrpc.ParseFile(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("premises of imported module %s: %w", mod, err))
				continue
			}
			visit(src.Imports)
			decls = append(decls, src.Decls...)
		}
	}
	visit(t.Source.Imports)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, d := range t.Source.Decls {
		if d.Start >= t.Decl.Start {
			break
		}
		decls = append(decls, d)
	}
	return NewPremises(decls, t.Decl.Namespace), errors.Join(errs...)
}

// sourceRoots lists the directories a module name may be relative to: the
// project root, then each directory from the theorem's file up to it (a
// lean_lib with srcDir = "src" keeps module A.B in src/A/B.lean).
func sourceRoots(t *leanrpc.Target) []string {
	roots := []string{t.ProjectDir}
	if t.File == "" {
		return roots
	}
	for dir := filepath.Dir(t.File); dir != t.ProjectDir && strings.HasPrefix(dir, t.ProjectDir); dir = filepath.Dir(dir) {
		roots = append(roots, dir)
	}
	return roots
}

// moduleFile finds module mod's file under one of roots, or returns "".
func moduleFile(roots []string, mod string) string {
	rel := filepath.FromSlash(strings.ReplaceAll(mod, ".", "/")) + ".lean"
	for _, r := range roots {
		path := filepath.Join(r, rel)
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	return ""
}

// Propose implements search.Policy.
func (p *Premises) Propose(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(s.Goals) == 0 || k <= 0 || len(p.premises) == 0 {
		return nil, nil
	}
	g := parseGoal(s.Goals[0])
	target := normalizeBinders(leanTokens(g.Target))
	hyps := make([]goalHyp, len(g.Hyps))
	for i, h := range g.Hyps {
		hyps[i] = goalHyp{name: h.Name, typ: normalizeBinders(leanTokens(h.Type))}
	}
	ranked := p.rank(target)
	var out []search.Candidate
	seen := map[string]bool{}
	add := func(tac string, prior float64) {
		if !seen[tac] && prior > 0 {
			seen[tac] = true
			out = append(out, search.Candidate{Tactic: tac, Prior: prior})
		}
	}
	const top = 4
	for r, sc := range ranked {
		if r >= top || sc.score <= 0 {
			break
		}
		pr := &p.premises[sc.index]
		decay := 1 / float64(r+1)
		p.tactics(pr, sc, hyps, decay, add)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Prior != out[j].Prior {
			return out[i].Prior > out[j].Prior
		}
		return out[i].Tactic < out[j].Tactic
	})
	if len(out) > k {
		out = out[:k]
	}
	return out, nil
}

type goalHyp struct {
	name string
	typ  []string
}

type scored struct {
	index    int
	score    float64
	matched  bool
	whole    bool // the whole type matched, not just the conclusion
	bindings map[string]string
}

// rank orders the premises by their conclusion's match with the target.
func (p *Premises) rank(target []string) []scored {
	tw := p.tfidf(target, nil)
	tn := vecNorm(tw)
	out := make([]scored, 0, len(p.premises))
	for i := range p.premises {
		pr := &p.premises[i]
		cos := 0.0
		if tn > 0 && pr.norm > 0 {
			dot := 0.0
			for _, w := range pr.weights {
				dot += w.weight * tw[w.term]
			}
			cos = dot / (tn * pr.norm)
		}
		sc := scored{index: i, score: cos}
		if b, ok := match(pr.conclusion, target, pr.vars, map[string]string{}); ok && len(pr.conclusion) > 0 {
			sc.matched, sc.bindings = true, b
			sc.score += 1
		} else if len(pr.typ) > len(pr.conclusion) {
			if b, ok := match(pr.typ, target, append(bound(pr.typ), pr.vars...), map[string]string{}); ok {
				sc.matched, sc.whole, sc.bindings = true, true, b
				sc.score += 1
			}
		}
		out = append(out, sc)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// tactics proposes the applications of one ranked premise.
func (p *Premises) tactics(pr *premise, sc scored, hyps []goalHyp, decay float64, add func(string, float64)) {
	strength := math.Min(sc.score, 1.5) / 1.5 // 1 for a matched conclusion with a near-identical bag
	explicit := pr.hyps
	if sc.whole {
		explicit = pr.hyps[:pr.outer]
	}
	args, open, filled := fillArgs(explicit, pr.vars, sc.bindings, hyps)
	nProps := 0
	for _, b := range pr.hyps {
		if b.prop {
			nProps++
		}
	}
	if sc.matched {
		if open == 0 {
			add(join("exact", pr.cite, args), 0.6*decay)
		} else {
			add(join("refine", pr.cite, args), 0.35*decay)
		}
		if len(explicit) == 0 {
			add("exact "+pr.cite, 0.6*decay)
		}
	} else if open == 0 && filled > 0 {
		add(join("exact", pr.cite, args), 0.1*strength*decay)
	}
	// A premise whose conclusion does not match the target is a guess:
	// its priors stay below the portfolio's arithmetic finishers.
	scale := 1.0
	if !sc.matched {
		scale = 0.5 * strength
	}
	add("apply "+pr.cite, (0.05+0.25*scale)*decay)
	if nProps > 0 && len(pr.hyps) > 0 {
		holes := make([]string, len(pr.hyps))
		for i, b := range pr.hyps {
			holes[i] = "_"
			if b.prop {
				holes[i] = "?_"
			}
		}
		add(join("refine", pr.cite, holes), (0.03+0.17*scale)*decay)
	}
	if pr.equation {
		add("rw ["+pr.cite+"]", (0.03+0.17*scale)*decay)
		add("simp only ["+pr.cite+"]", (0.02+0.14*scale)*decay)
		add("simp ["+pr.cite+"]", (0.02+0.12*scale)*decay)
	}
}

// join writes an application. Explicit term arguments stay as _ even when
// trailing: exact does not insert missing explicit arguments, so
// "exact L" for L (n : Nat) : P n would not elaborate where "exact L _" does.
func join(verb, name string, args []string) string {
	if len(args) == 0 {
		if verb == "refine" {
			verb = "exact"
		}
		return verb + " " + name
	}
	return verb + " " + name + " " + strings.Join(args, " ")
}

// fillArgs fills a premise's explicit binders in order: a hypothesis by the
// first goal hypothesis its type matches (extending the conclusion's
// bindings), a linear-arithmetic side condition by (by omega) when every
// variable in it is bound by then (omega cannot choose a value for a
// variable that only side conditions mention), anything else by ?_; a term
// argument by _ (unification finds it). It returns the arguments, how many
// are ?_ and how many hypotheses were filled.
func fillArgs(explicit []binder, vars []string, bindings map[string]string, hyps []goalHyp) (args []string, open, filled int) {
	b := map[string]string{}
	for k, v := range bindings {
		b[k] = v
	}
	used := map[string]bool{}
	args = make([]string, len(explicit))
	for i, bd := range explicit {
		if !bd.prop {
			args[i] = "_"
			continue
		}
		for _, h := range hyps {
			if used[h.name] || strings.HasSuffix(h.name, "✝") {
				continue
			}
			if nb, ok := match(bd.typ, h.typ, append(bd.bound, vars...), b); ok {
				for _, n := range bd.bound {
					delete(nb, n) // bound names are local to this hypothesis
				}
				args[i], b = h.name, nb
				used[h.name] = true
				filled++
				break
			}
		}
	}
	for i, bd := range explicit {
		if args[i] != "" {
			continue
		}
		if isArithmetic(bd.typ, vars) && allBound(bd.typ, vars, b) {
			args[i] = "(by omega)"
		} else {
			args[i] = "?_"
			open++
		}
	}
	return args, open, filled
}

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

func (p *Premises) tfidf(toks []string, vars []string) map[string]float64 {
	w := map[string]float64{}
	for _, t := range toks {
		if idf, ok := p.idf[t]; ok && features(t, vars) {
			w[t] += idf
		}
	}
	return w
}

func vecNorm(w map[string]float64) float64 {
	s := 0.0
	for _, x := range w {
		s += x * x
	}
	return math.Sqrt(s)
}

// parsePremise takes a declaration's statement apart: binders, then the
// type's leading ∀ binders and → antecedents, then the conclusion.
func parsePremise(d *leanrpc.Decl, ns string) (premise, bool) {
	switch d.Kind {
	case "theorem", "lemma", "axiom":
	default:
		return premise{}, false
	}
	if d.FullName == "" || strings.HasPrefix(d.Name, "_") {
		return premise{}, false
	}
	pr := premise{cite: d.FullName}
	if d.Namespace != "" && (ns == d.Namespace || strings.HasPrefix(ns, d.Namespace+".")) {
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
	typ := normalizeBinders(toks[i+1:])
	pr.typ, pr.outer = typ, len(pr.hyps)
	// Leading ∀ binders and → antecedents are explicit arguments too.
	for {
		if len(typ) > 0 && typ[0] == "∀" {
			comma := indexOf(typ, ",")
			if comma < 0 {
				break
			}
			for _, n := range typ[1:comma] {
				pr.vars = append(pr.vars, n)
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
			if toks[m] == "(" || toks[m] == "{" {
				depth++
			} else if toks[m] == ")" || toks[m] == "}" {
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
			case h == "(" || h == ")" || h == "{" || h == "}":
			case h == ":":
				// skip the type up to the group's end
				for m+1 < len(head) && head[m+1] != ")" && head[m+1] != "}" {
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

var _ search.Policy = (*Premises)(nil)
