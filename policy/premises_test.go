package policy

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/internal/testenv"
	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/search"
)

// premiseFixture is a small file of lemmas of the shapes a project proves
// once and cites everywhere.
const premiseFixture = `namespace Demo

def f (n : Nat) : Nat := n + 1

def Good (x : Nat → Int) (n : Nat) : Prop := ∀ i, i < n → 0 ≤ x i

theorem f_pos (n : Nat) : 0 < f n := by simp [f]

theorem f_eq (n : Nat) : f n = n + 1 := rfl

theorem f_mono {a b : Nat} (h : a ≤ b) : f a ≤ f b := by simp [f]; omega

theorem good_shift {x : Nat → Int} {n m : Nat} (hx : Good x n) (hm : m ≤ n) :
    Good x m := by
  intro i hi
  exact hx i (by omega)

theorem f_twice (n : Nat) : ∀ k, k ≤ n → f k ≤ f n := by
  intro k hk
  exact f_mono hk

theorem target_itself (n : Nat) : 0 < f n := f_pos n

theorem after_target (n : Nat) : 0 < f (f n) := f_pos _

end Demo

theorem outside (n : Nat) : f n = Demo.f n := rfl
`

func fixturePremises(t testing.TB) (*Premises, *leanrpc.SourceFile) {
	t.Helper()
	src, err := leanrpc.ParseSource("Demo.lean", premiseFixture)
	if err != nil {
		t.Fatal(err)
	}
	target := src.Decl("Demo.target_itself")
	tg := &leanrpc.Target{ProjectDir: t.TempDir(), Source: src, Decl: target}
	p, err := PremisesFor(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return p, src
}

func TestPremisesSkipTheTheoremAndWhatFollows(t *testing.T) {
	p, _ := fixturePremises(t)
	var got []string
	for _, pr := range p.premises {
		got = append(got, pr.cite)
	}
	want := "f_pos f_eq f_mono good_shift f_twice"
	if strings.Join(got, " ") != want {
		t.Errorf("premises = %v, want %s (no defs, not the theorem itself, nothing after it)", got, want)
	}
}

func TestPremisesProposals(t *testing.T) {
	p, _ := fixturePremises(t)
	tests := []struct {
		name, goal string
		want       string // must be the first candidate
		also       []string
	}{
		{"conclusion matches, no hypotheses", "n : Nat\n⊢ 0 < f n", "exact f_pos _", []string{"apply f_pos"}},
		{"hypothesis filled from the goal", "a b : Nat\nhab : a ≤ b\n⊢ f a ≤ f b", "exact f_mono hab", []string{"apply f_mono", "refine f_mono ?_"}},
		{"prop hypothesis filled, arithmetic one by omega", "y : Nat → Int\nk : Nat\nhy : Good y 10\n⊢ Good y 3", "exact good_shift hy (by omega)", nil},
		{"unfillable hypothesis stays open", "y : Nat → Int\nk : Nat\nhk : k ≤ 10\n⊢ Good y k", "refine good_shift ?_ hk", []string{"apply good_shift"}},
		{"equation rewrites", "m : Nat\n⊢ f m * 2 = 2 * m + 2", "", []string{"rw [f_eq]", "simp only [f_eq]", "simp [f_eq]"}},
		{"∀ antecedents and binder predicates", "n : Nat\n⊢ ∀ k ≤ n, f k ≤ f n", "exact f_twice _", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands, err := p.Propose(context.Background(), search.State{Goals: []string{tt.goal}}, 16)
			if err != nil {
				t.Fatal(err)
			}
			if len(cands) == 0 {
				t.Fatal("no candidates")
			}
			if tt.want != "" && cands[0].Tactic != tt.want {
				t.Errorf("first = %q, want %q; all: %v", cands[0].Tactic, tt.want, cands)
			}
			for _, a := range tt.also {
				if !hasTactic(cands, a) {
					t.Errorf("missing %q in %v", a, cands)
				}
			}
			for _, c := range cands {
				if c.Prior <= 0 || c.Prior > 1 {
					t.Errorf("prior of %q = %v, want in (0, 1]", c.Tactic, c.Prior)
				}
			}
		})
	}
}

func hasTactic(cands []search.Candidate, tac string) bool {
	for _, c := range cands {
		if c.Tactic == tac {
			return true
		}
	}
	return false
}

func TestPremisesCiteByReachableName(t *testing.T) {
	src, err := leanrpc.ParseSource("Demo.lean", premiseFixture)
	if err != nil {
		t.Fatal(err)
	}
	tg := &leanrpc.Target{ProjectDir: t.TempDir(), Source: src, Decl: src.Decl("outside")}
	p, _ := PremisesFor(context.Background(), tg)
	cands, _ := p.Propose(context.Background(), search.State{Goals: []string{"n : Nat\n⊢ 0 < f n"}}, 4)
	if len(cands) == 0 || cands[0].Tactic != "exact Demo.f_pos _" {
		t.Errorf("outside the namespace: %v, want exact Demo.f_pos _ first", cands)
	}
}

func TestPremisesDeterministicAndBounded(t *testing.T) {
	p, _ := fixturePremises(t)
	s := search.State{Goals: []string{"a b : Nat\nhab : a ≤ b\n⊢ f a ≤ f b"}}
	first, _ := p.Propose(context.Background(), s, 3)
	for range 20 {
		again, _ := p.Propose(context.Background(), s, 3)
		if len(again) != len(first) || len(first) != 3 {
			t.Fatalf("k=3 gave %d then %d candidates", len(first), len(again))
		}
		for i := range first {
			if again[i] != first[i] {
				t.Fatalf("not deterministic: %v vs %v", first, again)
			}
		}
	}
	empty := NewPremises(nil, "")
	if c, err := empty.Propose(context.Background(), s, 8); err != nil || len(c) != 0 {
		t.Errorf("no premises: %v, %v", c, err)
	}
}

// theoremsDir is the repository's own theorem library (theorems/).
func theoremsDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "theorems"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "LeanProve", "Bounds.lean")); err != nil {
		t.Skipf("theorem library not found at %s: %v", dir, err)
	}
	return dir
}

// goalOf writes a theorem's initial goal as Lean prints it: each binder
// as a hypothesis line, the type after ⊢ (binder predicates as Lean
// abbreviates them, to exercise normalization).
func goalOf(d *leanrpc.Decl) string {
	toks := leanTokens(d.Statement)
	var b strings.Builder
	i := 0
	for i < len(toks) && (toks[i] == "(" || toks[i] == "{") {
		closeTok := map[string]string{"(": ")", "{": "}"}[toks[i]]
		end := matchingClose(toks, i, toks[i], closeTok)
		group := toks[i+1 : end]
		colon := indexOf(group, ":")
		b.WriteString(strings.Join(group[:colon], " ") + " : " + strings.Join(group[colon+1:], " ") + "\n")
		i = end + 1
	}
	text := strings.Join(toks[i+1:], " ")
	text = strings.ReplaceAll(text, "∀ t , t < T →", "∀ t < T,")
	return b.String() + "⊢ " + text
}

// TestPremisesOnTheLayerTheorems: every attention, feed-forward and
// residual theorem of a layer file is closed by one generic lemma of
// LeanProve.Bounds; the lemma must rank first and its full application
// be the first tactic.
func TestPremisesOnTheLayerTheorems(t *testing.T) {
	dir := theoremsDir(t)
	path := filepath.Join(dir, "LeanProve", "Layers", "L00.lean")
	src, err := leanrpc.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"attn":  "exact attn_block_bound hu hqv hsv hp hP hqo hso (by omega) (by omega)",
		"ffn":   "exact ffn_block_bound hact hu hqg hsg hqu hsu hqd hsd (by omega)",
		"resid": "exact resid_bound hh ha hf (by omega)",
	}
	checked := 0
	for i := range src.Decls {
		d := &src.Decls[i]
		kind := strings.TrimSuffix(d.Name[strings.Index(d.Name, "_")+1:], "_bound")
		w, ok := want[kind]
		if !ok {
			continue
		}
		p, err := PremisesFor(context.Background(), &leanrpc.Target{ProjectDir: dir, File: path, Source: src, Decl: d})
		if err != nil {
			t.Fatal(err)
		}
		goal := goalOf(d)
		target := normalizeBinders(leanTokens(goal[strings.Index(goal, "⊢")+len("⊢"):]))
		if top := p.premises[p.rank(target)[0].index].cite; top != strings.Fields(w)[1] {
			t.Errorf("%s: top premise %s, want %s", d.Name, top, strings.Fields(w)[1])
		}
		cands, err := p.Propose(context.Background(), search.State{Goals: []string{goal}}, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(cands) == 0 || cands[0].Tactic != w {
			t.Errorf("%s: candidates %v, want %q first\ngoal:\n%s", d.Name, cands, w, goal)
		}
		checked++
	}
	if checked != 30 {
		t.Errorf("checked %d layer theorems, want 30 (10 layers × attn, ffn, resid)", checked)
	}
}

func BenchmarkPremisesPropose(b *testing.B) {
	dir := theoremsDir(b)
	path := filepath.Join(dir, "LeanProve", "Layers", "L00.lean")
	src, err := leanrpc.ParseFile(path)
	if err != nil {
		b.Fatal(err)
	}
	d := &src.Decls[len(src.Decls)-1]
	// A few hundred premises: the file's and Bounds' lemmas, repeated.
	var decls []leanrpc.Decl
	for len(decls) < 300 {
		decls = append(decls, src.Decls...)
	}
	p := NewPremises(decls, d.Namespace)
	s := search.State{Goals: []string{goalOf(src.Decl("LeanProve.layer00_attn_bound"))}}
	b.ReportMetric(float64(p.Len()), "premises")
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Propose(context.Background(), s, 16); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPremisesOnLeanPrintedGoals: goals as Lean's pretty-printer writes
// them (ℕ and ℤ with Mathlib, binder predicates "∀ k < n,", typed binder
// groups "∀ (h t : ℕ),", casts "↑") must fill the same hypotheses.
func TestPremisesOnLeanPrintedGoals(t *testing.T) {
	dir := theoremsDir(t)
	path := filepath.Join(dir, "LeanProve", "Layers", "L00.lean")
	src, err := leanrpc.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		theorem, goal, want string
	}{
		{"LeanProve.layer00_attn_bound", `u : ℕ → ℕ → ℤ
qv sv p : ℕ → ℕ → ℤ
T : ℕ
qo so : ℕ → ℕ → ℤ
hu : ∀ t < T, Bounded (u t) 8192 5642
hqv : ∀ k < 1024, Levels (qv k) 8192
hsv : ∀ k < 1024, Scales (sv k) 8192 283904
hp : ∀ (h t : ℕ), h < 64 → t < T → 0 ≤ p h t
hP : ∀ h < 64, sumN (p h) T ≤ 65536
hqo : ∀ j < 8192, Levels (qo j) 8192
hso : ∀ j < 8192, Scales (so j) 8192 1023488
⊢ Bounded (attnOut u qv sv p T qo so) 8192 9771641735`,
			"exact attn_block_bound hu hqv hsv hp hP hqo hso (by omega) (by omega)"},
		{"LeanProve.layer00_ffn_bound", `u : ℕ → ℤ
qg sg qu su : ℕ → ℕ → ℤ
act : ℤ → ℤ
qd sd : ℕ → ℕ → ℤ
hact : ∀ (a B : ℤ), -B ≤ a → a ≤ B → -B ≤ act a ∧ act a ≤ B
hu : Bounded u 8192 8736
hqg : ∀ k < 28672, Levels (qg k) 8192
hsg : ∀ k < 28672, Scales (sg k) 8192 320768
hqu : ∀ k < 28672, Levels (qu k) 8192
hsu : ∀ k < 28672, Scales (su k) 8192 317696
hqd : ∀ j < 8192, Levels (qd j) 28672
hsd : ∀ j < 8192, Scales (sd j) 28672 742912
⊢ Bounded (ffnOut u qg sg qu su act qd sd) 8192 1149512352208045`,
			"exact ffn_block_bound hact hu hqg hsg hqu hsu hqd hsd (by omega)"},
		// After constructor and intro: the goal of one half of an RMSNorm
		// theorem. K appears only in side conditions, so (by omega) could
		// not elaborate (K stays a metavariable): they stay open, and the
		// lemma still ranks first. (The real proof names K := 91.)
		{"LeanProve.layer00_rmsnorm_bound", `x g : ℕ → ℤ
r : ℤ
hr : 0 < r
hrms : sumSq x 8192 ≤ ↑8192 * (r * r)
hg : Bounded g 8192 62
⊢ Bounded (rmsnorm g x r) 8192 5642`,
			"refine rmsnorm_bound hr hrms ?_ ?_ ?_ hg"},
	}
	for _, tt := range tests {
		t.Run(tt.theorem, func(t *testing.T) {
			d := src.Decl(tt.theorem)
			p, err := PremisesFor(context.Background(), &leanrpc.Target{ProjectDir: dir, File: path, Source: src, Decl: d})
			if err != nil {
				t.Fatal(err)
			}
			cands, err := p.Propose(context.Background(), search.State{Goals: []string{tt.goal}}, 8)
			if err != nil {
				t.Fatal(err)
			}
			if len(cands) == 0 || cands[0].Tactic != tt.want {
				t.Errorf("candidates %v, want %q first", cands, tt.want)
			}
		})
	}
}

// TestPremisesFromImports: lemmas come from the project files the theorem
// imports, transitively, under the project root or a lean_lib's srcDir;
// modules outside the project are skipped and a file that does not parse
// is named in the error while the rest stays usable.
func TestPremisesFromImports(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"src/Lib/Base.lean":   "theorem base_le (n : Nat) : n ≤ n + 1 := by omega\n",
		"src/Lib/Mid.lean":    "import Lib.Base\nimport Mathlib.Tactic\n\ntheorem mid_lt (n : Nat) : n < n + 1 := by omega\n",
		"src/Lib/Broken.lean": "theorem broken : (1 = 1 := rfl\n",
		"src/Lib/Main.lean":   "import Lib.Mid\nimport Lib.Broken\n\ntheorem here (n : Nat) : 0 ≤ n := by omega\n\ntheorem goal (n : Nat) : n < n + 1 := by sorry\n",
	}
	testenv.WriteFiles(t, root, files)
	main := filepath.Join(root, "src", "Lib", "Main.lean")
	src, err := leanrpc.ParseFile(main)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PremisesFor(context.Background(), &leanrpc.Target{ProjectDir: root, File: main, Source: src, Decl: src.Decl("goal")})
	if err == nil || !strings.Contains(err.Error(), "Lib.Broken") || !strings.Contains(err.Error(), "Broken.lean") {
		t.Errorf("error = %v, want one naming the module and file that did not parse", err)
	}
	var got []string
	for _, pr := range p.premises {
		got = append(got, pr.cite)
	}
	if strings.Join(got, " ") != "base_le mid_lt here" {
		t.Errorf("premises = %v, want base_le mid_lt here (imports first, transitively)", got)
	}
	cands, _ := p.Propose(context.Background(), search.State{Goals: []string{"n : Nat\n⊢ n < n + 1"}}, 4)
	if len(cands) == 0 || cands[0].Tactic != "exact mid_lt _" {
		t.Errorf("candidates %v, want exact mid_lt _ first", cands)
	}
}

// TestPremisesBesideThePortfolio: mixed with the portfolio, a matching
// premise's application comes first, and guesses from premises that do not
// match stay behind the portfolio's finisher for the goal's shape.
func TestPremisesBesideThePortfolio(t *testing.T) {
	p, _ := fixturePremises(t)
	mix := &Mixture{Policies: []search.Policy{NewPortfolio(), p}}
	tests := []struct{ goal, want string }{
		{"a b : Nat\nhab : a ≤ b\n⊢ f a ≤ f b", "exact f_mono hab"},
		{"a b : Nat\n⊢ a + b = b + a", "omega"},
		{"m : Nat\n⊢ f m = m + 1", "exact f_eq _"},
	}
	for _, tt := range tests {
		cands, err := mix.Propose(context.Background(), search.State{Goals: []string{tt.goal}}, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(cands) == 0 || cands[0].Tactic != tt.want {
			t.Errorf("goal %q: candidates %v, want %q first", tt.goal, cands, tt.want)
		}
	}
}

// BenchmarkPremisesFor measures what prove pays per theorem: parsing the
// imported project files and indexing the premises.
func BenchmarkPremisesFor(b *testing.B) {
	dir := theoremsDir(b)
	path := filepath.Join(dir, "LeanProve", "Layers", "L00.lean")
	src, err := leanrpc.ParseFile(path)
	if err != nil {
		b.Fatal(err)
	}
	tg := &leanrpc.Target{ProjectDir: dir, File: path, Source: src, Decl: &src.Decls[len(src.Decls)-1]}
	for b.Loop() {
		if _, err := PremisesFor(context.Background(), tg); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPremisesLeanArguments: what each tactic writes must elaborate in
// Lean 4. Binders after the colon in braces (∀ {n}, ∀ ⦃n⦄) are implicit, so
// no argument is written for them; an axiom is never cited (its proofs
// fail the axiom audit, and a proof found ends the search); a protected
// lemma needs its namespace even inside it.
func TestPremisesLeanArguments(t *testing.T) {
	src, err := leanrpc.ParseSource("P.lean", `namespace P
def f (n : Nat) : Nat := n + 1
theorem imp : ∀ {n : Nat}, 0 < n → 0 < f n := by sorry
theorem strict : ∀ ⦃n : Nat⦄, 0 < n → 1 < f n := by sorry
theorem mixed (a : Nat) : ∀ {b : Nat} (c : Nat), b ≤ c → a + b ≤ a + f c := by sorry
theorem inst : ∀ [Inhabited Nat] (n : Nat), 5 < f n + 5 := by sorry
theorem nested : ∀ {p : ∀ n : Nat, 0 ≤ n}, ∀ {m : Nat} (k : Nat), m ≤ k → 6 < f k + m := by sorry
axiom ax (n : Nat) : 2 < f n
protected theorem prot (n : Nat) : 3 < f n := by sorry
theorem target : True := trivial
end P
`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PremisesFor(context.Background(), &leanrpc.Target{ProjectDir: t.TempDir(), Source: src, Decl: src.Decl("P.target")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		goal, want string
		never      []string
	}{
		{"m : Nat\nhm : 0 < m\n⊢ 0 < f m", "exact imp hm", []string{"exact imp _ hm", "refine imp _ ?_"}},
		{"m : Nat\nhm : 0 < m\n⊢ 1 < f m", "exact strict hm", []string{"exact strict _ _ hm"}},
		{"x y : Nat\nh : y ≤ 7\n⊢ x + y ≤ x + f 7", "exact mixed _ _ h", []string{"exact mixed _ _ _ h"}},
		{"m : Nat\n⊢ 5 < f m + 5", "exact inst _", []string{"exact inst _ _"}},
		{"a b : Nat\nh : a ≤ b\n⊢ 6 < f b + a", "exact nested _ h", []string{"exact nested _ _ h"}},
		{"m : Nat\n⊢ 3 < f m", "exact P.prot _", []string{"exact prot _", "apply prot"}},
		{"m : Nat\n⊢ 2 < f m", "", []string{"exact ax _", "apply ax", "exact P.ax _"}},
	}
	for _, tt := range tests {
		cands, err := p.Propose(context.Background(), search.State{Goals: []string{tt.goal}}, 16)
		if err != nil {
			t.Fatal(err)
		}
		if tt.want != "" && (len(cands) == 0 || cands[0].Tactic != tt.want) {
			t.Errorf("goal %q: candidates %v, want %q first", tt.goal, cands, tt.want)
		}
		for _, bad := range tt.never {
			if hasTactic(cands, bad) {
				t.Errorf("goal %q: proposes %q (Lean rejects it, or the axiom audit would): %v", tt.goal, bad, cands)
			}
		}
	}
}

// TestPremisesSkipPrivateImports: a private lemma of an imported file
// cannot be named from another file; one of the theorem's own file can.
func TestPremisesSkipPrivateImports(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"Lib/Base.lean": "private theorem hidden (n : Nat) : n ≤ n + 1 := by omega\n\ntheorem shown (n : Nat) : n ≤ n + 2 := by omega\n",
		"Lib/Main.lean": "import Lib.Base\n\nprivate theorem local_lt (n : Nat) : n < n + 1 := by omega\n\ntheorem goal (n : Nat) : n < n + 1 := by sorry\n",
	}
	testenv.WriteFiles(t, root, files)
	main := filepath.Join(root, "Lib", "Main.lean")
	src, err := leanrpc.ParseFile(main)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PremisesFor(context.Background(), &leanrpc.Target{ProjectDir: root, File: main, Source: src, Decl: src.Decl("goal")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pr := range p.premises {
		got = append(got, pr.cite)
	}
	if strings.Join(got, " ") != "shown local_lt" {
		t.Errorf("premises = %v, want shown local_lt (an imported private lemma is not reachable)", got)
	}
}
