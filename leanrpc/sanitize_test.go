package leanrpc

import (
	"errors"
	"strings"
	"testing"
)

func TestSanitizeTacticAccepts(t *testing.T) {
	tests := []struct{ in, want string }{
		{"simp", "simp"},
		{"  omega  ", "omega"},
		{"simp [Nat.add_comm] at h ⊢", "simp [Nat.add_comm] at h ⊢"},
		{"rw [h1, h2] -- the obvious rewrite", "rw [h1, h2]"},
		{"exact /- nested /- comment -/ -/ h", "exact h"},
		{"exact ⟨h.1, h.2⟩", "exact ⟨h.1, h.2⟩"},
		{`simp only [show "sorry" = "sorry" from rfl]`, `simp only [show "sorry" = "sorry" from rfl]`},
		{"exact h'", "exact h'"},
		{"cases h with\t| inl h => exact h | inr h => exact h", "cases h with | inl h => exact h | inr h => exact h"},
		{"intro x; exact Nat.le_refl x", "intro x; exact Nat.le_refl x"},
		{"decide", "decide"},
		{"exact #[1, 2].size_pos", "exact #[1, 2].size_pos"},
		{"have h₁ : x = x := rfl", "have h₁ : x = x := rfl"},
		{"exact sorry_lemma_name_is_fine.foo", "exact sorry_lemma_name_is_fine.foo"},
		{"exact 'a'", "exact 'a'"},
		{"simp at *\n", "simp at *"},
		{"· simp", "· simp"},
		{"all_goals (try omega)", "all_goals (try omega)"},
	}
	for _, tt := range tests {
		got, err := SanitizeTactic(tt.in, SanitizeOptions{})
		if err != nil {
			t.Errorf("SanitizeTactic(%q): unexpected error %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("SanitizeTactic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSanitizeTacticRefusesHostileInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts SanitizeOptions
		want error
	}{
		{"empty", "   ", SanitizeOptions{}, ErrEmptyTactic},
		{"only a comment", "-- nothing", SanitizeOptions{}, ErrEmptyTactic},
		{"newline then theorem", "simp\ntheorem evil : False := sorry", SanitizeOptions{}, ErrMultiline},
		{"carriage return", "simp\rexact h", SanitizeOptions{}, ErrMultiline},
		{"unicode line separator", "simp\u2028theorem x", SanitizeOptions{}, ErrMultiline},
		{"sorry", "sorry", SanitizeOptions{}, ErrSorry},
		{"exact sorry", "exact (sorry)", SanitizeOptions{}, ErrSorry},
		{"admit", "admit", SanitizeOptions{}, ErrSorry},
		{"stop", "stop", SanitizeOptions{}, ErrSorry},
		{"sorryAx qualified", "exact sorryAx _ true", SanitizeOptions{}, ErrSorry},
		{"qualified sorry", "exact Foo.sorry", SanitizeOptions{}, ErrSorry},
		{"guillemet sorry", "exact «sorry»", SanitizeOptions{}, ErrSorry},
		{"sorry after string", `simp [show "x" = "x" from rfl]; sorry`, SanitizeOptions{}, ErrSorry},
		{"sorry after string with escaped quote", `exact "a\"b" ++ sorry`, SanitizeOptions{}, ErrSorry},
		{"sorry after char", `exact ('"', sorry)`, SanitizeOptions{}, ErrSorry},
		{"sorry after comment", "/- sorry -/ sorry", SanitizeOptions{}, ErrSorry},
		{"interpolated sorry", `exact s!"{sorry}"`, SanitizeOptions{}, ErrUnsafeTactic},
		{"native_decide", "native_decide", SanitizeOptions{}, ErrNativeDecide},
		{"decide +native", "decide +native", SanitizeOptions{}, ErrNativeDecide},
		{"ofReduceBool", "exact Lean.ofReduceBool _ _ rfl", SanitizeOptions{}, ErrNativeDecide},
		{"new command", "simp; theorem evil : False := by simp", SanitizeOptions{}, ErrNewCommand},
		{"end", "end", SanitizeOptions{}, ErrNewCommand},
		{"hash exit", "#exit", SanitizeOptions{}, ErrNewCommand},
		{"hash print", "simp; #print axioms foo", SanitizeOptions{}, ErrNewCommand},
		{"where", "exact f where f := 1", SanitizeOptions{}, ErrNewCommand},
		{"termination_by", "simp termination_by x", SanitizeOptions{}, ErrNewCommand},
		{"heartbeats", "set_option maxHeartbeats 0 in simp", SanitizeOptions{}, ErrNewCommand},
		{"attribute", "exact @[simp] foo", SanitizeOptions{}, ErrNewCommand},
		{"closing paren", "exact h)", SanitizeOptions{}, ErrUnbalanced},
		{"closes the by block", ") theorem x : True := trivial", SanitizeOptions{}, ErrUnbalanced},
		{"unclosed", "exact (h", SanitizeOptions{}, ErrUnbalanced},
		{"mismatched", "exact [h)", SanitizeOptions{}, ErrUnbalanced},
		{"anonymous constructor", "exact ⟨h, h", SanitizeOptions{}, ErrUnbalanced},
		{"unterminated string", `exact "abc`, SanitizeOptions{}, ErrUnbalanced},
		{"unterminated comment swallows the file", "simp /- ", SanitizeOptions{}, ErrUnbalanced},
		{"huge", strings.Repeat("simp; ", 100000), SanitizeOptions{}, ErrTacticTooLong},
		{"over custom limit", "simp [a, b, c, d]", SanitizeOptions{MaxLen: 8}, ErrTacticTooLong},
		{"invalid utf8", "simp \xff", SanitizeOptions{}, ErrBadCharacter},
		{"control char", "simp\x00", SanitizeOptions{}, ErrBadCharacter},
		{"bidi override", "simp \u202e", SanitizeOptions{}, ErrBadCharacter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SanitizeTactic(tt.in, tt.opts)
			if err == nil {
				t.Fatalf("SanitizeTactic(%q) = %q, want error %v", abbreviate(tt.in), got, tt.want)
			}
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrUnsafeTactic) {
				t.Fatalf("SanitizeTactic(%q) error = %v, want %v (and ErrUnsafeTactic)", abbreviate(tt.in), err, tt.want)
			}
		})
	}
}

func TestSanitizeTacticAllowsNativeWhenAsked(t *testing.T) {
	for _, tac := range []string{"native_decide", "decide +native"} {
		if _, err := SanitizeTactic(tac, SanitizeOptions{AllowNativeDecide: true}); err != nil {
			t.Errorf("SanitizeTactic(%q, AllowNativeDecide) = %v, want nil", tac, err)
		}
	}
}

func FuzzSanitizeTactic(f *testing.F) {
	for _, s := range []string{"simp", "exact (h", "/- -/ sorry", `exact "sorry"`, "rw [h] at h'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := SanitizeTactic(in, SanitizeOptions{})
		if err != nil {
			return
		}
		// Whatever passes must pass again unchanged, and be one line.
		again, err := SanitizeTactic(out, SanitizeOptions{})
		if err != nil || again != out {
			t.Fatalf("not idempotent: %q → %q → %q, %v", in, out, again, err)
		}
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("multi-line output %q", out)
		}
	})
}
