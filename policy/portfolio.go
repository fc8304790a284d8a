package policy

import (
	"context"
	"strings"

	"github.com/leanprove/leanprove/search"
)

// Portfolio is the policy that needs no training: tactics of core Lean 4
// that close or split common goals, ranked by the shape of the first goal.
// It is what prove uses when no model is configured, and it mixes well with
// a learned policy, which knows a project's idioms but not these finishers.
//
// Every tactic it proposes exists in core Lean (no Mathlib): omega and
// decide for arithmetic and decidable facts, simp and simp_all, rfl,
// trivial, assumption, exact h for a hypothesis that matches the target,
// intro with the names the target's binders declare (and names for their
// proofs and the premises of its arrows: "intro x hx" for ∀ x ∈ s), intro h
// for ¬ and ≠, constructor for ∧ and
// ↔, cases on hypotheses that are ∧, ∨ or ∃, and induction on a natural
// number finished by simp_all or omega. Priors are fixed weights, boosted
// where the goal's shape makes a tactic likely; they are ranks more than
// probabilities.
//
// With Mathlib set it adds Mathlib's finishers (portfolio_mathlib.go):
// norm_num, linarith, positivity, ring, norm_cast, ext, aesop and others.
type Portfolio struct {
	Mathlib bool
}

// NewPortfolio returns the portfolio policy of core Lean.
func NewPortfolio() *Portfolio { return &Portfolio{} }

// NewMathlibPortfolio returns the portfolio with Mathlib's finishers, for
// projects that depend on Mathlib.
func NewMathlibPortfolio() *Portfolio { return &Portfolio{Mathlib: true} }

// Propose implements search.Policy.
func (p Portfolio) Propose(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(s.Goals) == 0 || k <= 0 {
		return nil, nil
	}
	g := parseGoal(s.Goals[0])
	w := map[string]float64{
		"simp":          0.10,
		"omega":         0.08,
		"decide":        0.05,
		"rfl":           0.05,
		"simp_all":      0.05,
		"trivial":       0.03,
		"assumption":    0.03,
		"constructor":   0.02,
		"contradiction": 0.01,
	}
	boost := func(t string, by float64) { w[t] += by }
	target := g.Target
	arith := containsAny(target, "Nat", "Int", "+", "*", "-", "≤", "<", "%", "/") || hasNumeral(target)
	if arith {
		boost("omega", 0.15)
		boost("decide", 0.03)
	}
	if containsAny(target, "∧", "↔") {
		boost("constructor", 0.15)
	}
	// The learned policy's intro reading (structural.go): binder names,
	// a name for each bound's proof ("intro x hx" for ∀ x ∈ s), premises,
	// ¬, ≠ and ⊆. Its first reading ranks as high as a matching
	// hypothesis; the others follow.
	intros := introTactics(target, localNames(g))
	for i, t := range intros {
		boost(t, 0.25/float64(i+1))
	}
	if len(intros) > 0 {
		boost("intros", 0.05)
	} else if strings.HasPrefix(target, "∀") {
		boost("intro", 0.2) // binders introTactics could not read
	}
	if strings.HasPrefix(target, "∃") {
		boost("refine ⟨?_, ?_⟩", 0.08)
		boost("exact ⟨_, rfl⟩", 0.05)
	}
	for _, h := range g.Hyps {
		switch {
		case h.Type == target:
			boost("exact "+h.Name, 0.4)
		case h.Type == "False":
			boost("contradiction", 0.3)
		case containsAny(h.Type, "∧", "∨") || strings.HasPrefix(h.Type, "∃"):
			boost("cases "+h.Name, 0.06)
		case h.Type == "ℕ" || h.Type == "Nat":
			boost("induction "+h.Name+" <;> simp_all", 0.04)
			boost("induction "+h.Name+" <;> omega", 0.03)
		}
	}
	if p.Mathlib {
		addMathlibFinishers(w, g)
	}
	out := make([]search.Candidate, 0, len(w))
	for t, prior := range w {
		out = append(out, search.Candidate{Tactic: t, Prior: prior})
	}
	return bestCandidates(out, k), nil
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func hasNumeral(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

var _ search.Policy = Portfolio{}
