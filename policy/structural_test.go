package policy

import (
	"slices"
	"testing"
)

func TestIntroTactics(t *testing.T) {
	for _, tt := range []struct {
		target string
		locals []string
		want   []string
	}{
		{"∀ x ∈ N, x = 0", nil, []string{"intro x hx", "intro x"}},
		{"∀ (a b : ℕ), a + b = b + a", nil, []string{"intro a b", "intro a"}},
		{"∀ ε > 0, ∃ δ > 0, δ < ε", nil, []string{"intro ε hε", "intro ε"}},
		{"∀ (x : α), ∀ y ∈ s, x = y", nil, []string{"intro x", "intro x y hy"}},
		{"∀ (n : ℕ), n ∈ s → n ∈ t", nil, []string{"intro n", "intro n hn", "intro n h"}},
		{"∀ (x : β), x ∉ s.image f", nil, []string{"intro x", "intro x h"}},
		{"Function.Injective ⇑(C R)", nil, []string{"intro x y h", "intro a b h", "intro x y hxy", "intro a b hab"}},
		{"Surjective f", nil, []string{"intro y", "intro b"}},
		{"p → q → p", nil, []string{"intro h h'", "intro h"}},
		{"(∃ x, x ∈ s ∧ f x = y) → y ∈ f '' s", []string{"y"}, []string{"intro h", "rintro ⟨x, hx, rfl⟩"}},
		{"¬x ∈ ∅", nil, []string{"intro h"}},
		{"s ⊆ t ∪ s", nil, []string{"intro x hx"}},
		{"∀ [inst : Fintype α], Fintype.card α = 0", nil, nil}, // intro would have to name the instance
		{"∀ᶠ (x : ℝ) in l, 0 < x", nil, nil},
		{"a = b", nil, nil},
		{"¬p ↔ q", nil, nil},                           // an ↔, though it starts with ¬
		{"Injective f ↔ Disjoint p (ker f)", nil, nil}, // ↔ around the predicate
		{"Monotone f → Monotone g", nil, []string{"intro h"}},
		{"Set.InjOn f s", nil, []string{"intro x hx y hy h", "intro a ha b hb hab", "intro x hx y hy hxy"}},
		{"∃ i, ∀ (j : ℕ), i ≤ j → f i = f j", nil, nil}, // the arrow is under ∃
		{"a ≠ b", []string{"a"}, []string{"intro h", "rintro rfl"}},
		{"f a ≠ 0", []string{"a"}, []string{"intro h"}},
		{"∀ (n : ℕ) [inst : NeZero n], n ≠ 0", nil, []string{"intro n"}}, // stop at the instance
	} {
		locals := map[string]bool{}
		for _, l := range tt.locals {
			locals[l] = true
		}
		got := introTactics(tt.target, locals)
		if !slices.Equal(got, tt.want) {
			t.Errorf("introTactics(%q) = %q, want %q", tt.target, got, tt.want)
		}
	}
}

func TestDestructTactics(t *testing.T) {
	locals := map[string]bool{"x": true, "s": true, "f": true}
	for _, tt := range []struct {
		hyp  hypothesis
		want []string
	}{
		{hypothesis{"hx", "∃ y, y ∈ s ∧ f y = x"}, []string{
			"obtain ⟨y, hy, rfl⟩ := hx", "rcases hx with ⟨y, hy, rfl⟩"}},
		{hypothesis{"h", "∃ n, x = 2 * n"}, []string{ // no cases': it takes names, not rfl
			"obtain ⟨n, rfl⟩ := h", "rcases h with ⟨n, rfl⟩"}},
		{hypothesis{"h", "∃ i ∈ s, 0 < i"}, []string{
			"obtain ⟨i, hi, hi'⟩ := h", "rcases h with ⟨i, hi, hi'⟩"}},
		{hypothesis{"h", "p ∧ q"}, []string{
			"obtain ⟨h, h'⟩ := h", "rcases h with ⟨h, h'⟩", "cases' h with h h'"}},
		{hypothesis{"h", "a < b ∨ a = b"}, []string{
			"rcases h with h | h", "cases' h with h h", "obtain h | h := h"}},
		{hypothesis{"h", "x ∈ s"}, nil},
		{hypothesis{"h", "∃! y, p y"}, nil},
		{hypothesis{"h", "∃! y, p y ∧ q y"}, nil},
		{hypothesis{"H", "∀ (a : α), p a ∧ q a"}, nil}, // a ∀, whatever its body
		{hypothesis{"H", "∀ x, p x ∨ q x"}, nil},
	} {
		got := destructTactics(tt.hyp, locals)
		if !slices.Equal(got, tt.want) {
			t.Errorf("destructTactics(%v) = %q, want %q", tt.hyp, got, tt.want)
		}
	}
}

func TestNontrivialityTactics(t *testing.T) {
	hyps := []hypothesis{
		{"R", "Type u_1"}, {"inst✝¹", "CommRing R"}, {"S", "Type u_2"}, {"inst✝", "Semiring S"},
		{"M", "Type u_3"}, {"inst✝²", "AddCommGroup M"}, {"K", "Type"}, {"inst✝³", "Field K"},
	}
	want := []string{"nontriviality R", "nontriviality S"} // at most two
	if got := nontrivialityTactics(hyps); !slices.Equal(got, want) {
		t.Errorf("nontrivialityTactics = %q, want %q", got, want)
	}
	if got := nontrivialityTactics([]hypothesis{{"G", "Type"}, {"inst✝", "Group G"}}); got != nil {
		t.Errorf("a group is no ring: %q", got)
	}
}

func TestStructuralCandidatesKinds(t *testing.T) {
	g := parseGoal("R : Type u_1\ninst✝ : Ring R\nh : ∃ n, 0 < n\n⊢ ∀ x ∈ s, x = 0")
	kinds := map[string]generator{}
	for _, c := range structuralCandidates(g) {
		kinds[c.text] = c.gen
	}
	for text, want := range map[string]generator{
		"intro x hx":            genIntro,
		"obtain ⟨n, hn⟩ := h":   genDestruct,
		"nontriviality R":       genNontrivial,
		"rcases h with ⟨n, hn⟩": genDestruct,
	} {
		if got, ok := kinds[text]; !ok || got != want {
			t.Errorf("%q: generator %v (present %v), want %v; all: %v", text, got, ok, want, kinds)
		}
	}
}

func TestSplitOuter(t *testing.T) {
	got := splitOuter("(a → b) → c → ⟨x, y → z⟩ → d", " → ")
	want := []string{"(a → b)", "c", "⟨x, y → z⟩", "d"}
	if !slices.Equal(got, want) {
		t.Errorf("splitOuter = %q, want %q", got, want)
	}
}

func TestStripParens(t *testing.T) {
	for in, want := range map[string]string{
		"(∃ x, p x)":  "∃ x, p x",
		" ((a)) ":     "a",
		"(a) ∧ (b)":   "(a) ∧ (b)",
		"f (x)":       "f (x)",
		"((a) ∧ (b))": "(a) ∧ (b)",
	} {
		if got := stripParens(in); got != want {
			t.Errorf("stripParens(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIfSplitTactics(t *testing.T) {
	for _, tt := range []struct {
		state string
		want  []string
	}{
		{"j i : ℕ\nh : j = i\n⊢ f j ≤ if j = i then a else b", []string{"by_cases h : j = i", "split_ifs with h", "rw [if_pos h]"}},
		{"b a : α\nhb : b ≠ a\n⊢ (if b = a then 0 else 1) = 1", []string{"by_cases h : b = a", "split_ifs with h", "rw [if_neg hb]"}},
		{"p : Prop\nhp : ¬p\n⊢ (if h : p then x else y) = y", []string{"by_cases h : p", "split_ifs with h", "rw [dif_neg hp]"}},
		{"P : Prop\nh : P\n⊢ (if hP : P then 1 else 0) = 1", []string{"by_cases hP : P", "split_ifs with hP", "rw [dif_pos h]"}},
		{"b p : Bool\n⊢ f (bif b then 1 else 0) = if p then 1 else 0", []string{"by_cases h : p", "split_ifs with h"}}, // past "bif"
		{"n : ℕ\n⊢ (∑ a ∈ range n, if a ∣ n then 1 else 0) = 2", nil},                                                  // a is bound by ∑
		{"x y : ℕ\nh : x = 0 ∧ y = 1\n⊢ (if x = 0 ∧ y = 1 then 1 else 0) = 1", []string{"by_cases h : x = 0 ∧ y = 1", "split_ifs with h", "rw [if_pos h]"}},
		{"x y : ℕ\nh : x ≠ 0 ∧ y = 1\n⊢ (if x = 0 ∧ y = 1 then 1 else 0) = 1", []string{"by_cases h : x = 0 ∧ y = 1", "split_ifs with h"}}, // not its negation
		{"⊢ iff a b", nil},
		{"⊢ a = b", nil},
	} {
		got := ifSplitTactics(parseGoal(tt.state))
		if !slices.Equal(got, tt.want) {
			t.Errorf("ifSplitTactics(%q) = %q, want %q", tt.state, got, tt.want)
		}
	}
}

func TestClosingTactics(t *testing.T) {
	for _, tt := range []struct {
		state string
		want  []string
	}{
		{"p : Prop\nh : p\n⊢ p", []string{"exact h"}},
		{"u v : M\nh : u ≤ v ↔ u.prod ∣ v.prod\n⊢ u.prod ∣ v.prod ↔ u ≤ v", []string{"exact h.symm"}},
		{"a b : ℕ\nh : a = b\n⊢ b = a", []string{"exact h.symm"}},
		{"p q : Prop\nh : p ∧ q\n⊢ q", []string{"exact h.2", "exact h.right"}},
		{"h : False\n⊢ 1 = 2", []string{"exact h.elim"}},
		{"p : Prop\nhp : p\nhn : ¬p\n⊢ 1 = 2", []string{"exact absurd hp hn"}},
		{"i : ℕ\n⊢ i ≤ i", []string{"exact le_rfl", "exact le_refl _"}},
		{"s : Set α\n⊢ s ≤ ⊤", []string{"exact le_top"}},
		{"⊢ a = 0 ↔ a = 0", []string{"exact Iff.rfl"}},
		{"a b : ℕ\nh : a ≤ b\n⊢ a < b", nil},
	} {
		if got := closingTactics(parseGoal(tt.state)); !slices.Equal(got, tt.want) {
			t.Errorf("closingTactics(%q) = %q, want %q", tt.state, got, tt.want)
		}
	}
}
