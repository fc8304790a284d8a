package policy

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

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
	files, err := leanrpc.ProjectImports(ctx, t)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		err = fmt.Errorf("premises: %w", err)
	}
	var decls []leanrpc.Decl
	for _, f := range files {
		for _, d := range f.Source.Decls {
			// A private lemma is out of reach outside its file.
			if private, _ := declModifiers(&d); !private {
				decls = append(decls, d)
			}
		}
	}
	for _, d := range t.Source.Decls {
		if d.Start >= t.Decl.Start {
			break
		}
		decls = append(decls, d)
	}
	return NewPremises(decls, t.Decl.Namespace), err
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
	return bestCandidates(out, k), nil
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

var _ search.Policy = (*Premises)(nil)
