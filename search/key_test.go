package search

import "testing"

func TestNormalizeGoal(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "x : Nat\n⊢ x = x", "x : Nat\n⊢ x = x"},
		{"whitespace runs and trailing space", "x  :\tNat  \n⊢   x = x ", "x : Nat\n⊢ x = x"},
		{"wrapped target is joined", "x : Nat\n⊢ x +\n    0 = x", "x : Nat\n⊢ x + 0 = x"},
		{"wrapped hypothesis is joined", "h : a = b ∧\n  b = c\n⊢ a = c", "h : a = b ∧ b = c\n⊢ a = c"},
		{"blank lines dropped", "\nx : Nat\n\n⊢ True\n", "x : Nat\n⊢ True"},
		{"grouped hypotheses split", "x y : Nat\n⊢ x = y", "x : Nat\ny : Nat\n⊢ x = y"},
		{"hypotheses sorted", "y : Nat\nx : Nat\n⊢ x = y", "x : Nat\ny : Nat\n⊢ x = y"},
		{"case tag stays first", "case succ\nn : Nat\n⊢ P n", "case succ\nn : Nat\n⊢ P n"},
		{"inaccessible renumbered", "x✝¹ : Nat\nx✝ : Nat\n⊢ x✝¹ = x✝", "x✝0 : Nat\nx✝1 : Nat\n⊢ x✝1 = x✝0"},
		{"not a grouped line", "h : ∀ (a b : Nat), a = b\n⊢ False", "h : ∀ (a b : Nat), a = b\n⊢ False"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeGoal(tt.in); got != tt.want {
				t.Errorf("NormalizeGoal(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

func TestKeyOfEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
	}{
		{"whitespace", []string{"x : Nat\n⊢ x = x"}, []string{"x   : Nat\n⊢ x =\n  x"}},
		{"hypothesis order", []string{"a : Nat\nb : Int\n⊢ True"}, []string{"b : Int\na : Nat\n⊢ True"}},
		{"grouping", []string{"a b : Nat\n⊢ a = b"}, []string{"a : Nat\nb : Nat\n⊢ a = b"}},
		{"inaccessible suffixes", []string{"a✝ : Nat\n⊢ a✝ = a✝"}, []string{"a✝² : Nat\n⊢ a✝² = a✝²"}},
		{"swapped inaccessible numbering", []string{"x✝ : A\nx✝¹ : B\n⊢ f x✝ x✝¹"}, []string{"x✝¹ : A\nx✝ : B\n⊢ f x✝¹ x✝"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if KeyOf(tt.a) != KeyOf(tt.b) {
				t.Errorf("keys differ:\n%q\n%q\nnormalized %q vs %q", tt.a, tt.b, NormalizeGoal(tt.a[0]), NormalizeGoal(tt.b[0]))
			}
		})
	}
}

func TestStateKeyIgnoresTrace(t *testing.T) {
	a := State{Goals: []string{"x : Nat\n⊢ x = x"}, Trace: []string{"intro x"}}
	b := State{Goals: []string{"x  : Nat\n⊢ x = x"}}
	if a.Key() != b.Key() || a.Key() != KeyOf(a.Goals) {
		t.Errorf("State.Key differs for equal goals: %v %v", a.Key(), b.Key())
	}
}

// TestKeyOfDistinct lists states that normalization must keep apart.
func TestKeyOfDistinct(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
	}{
		{"goal order", []string{"⊢ P", "⊢ Q"}, []string{"⊢ Q", "⊢ P"}},
		{"goal boundary", []string{"⊢ P", "⊢ Q"}, []string{"⊢ P\n\n⊢ Q"}},
		{"one goal or two", []string{"⊢ P"}, []string{"⊢ P", "⊢ P"}},
		{"case tag", []string{"case a\n⊢ P"}, []string{"case b\n⊢ P"}},
		{"accessible names", []string{"x : Nat\n⊢ x = x"}, []string{"y : Nat\n⊢ y = y"}},
		{"which inaccessible is used", []string{"x✝ : A\nx✝¹ : A\n⊢ P x✝"}, []string{"x✝ : A\nx✝¹ : B\n⊢ P x✝"}},
		{"inaccessible vs accessible", []string{"x✝ : Nat\n⊢ x✝ = 0"}, []string{"x : Nat\n⊢ x = 0"}},
		{"types", []string{"x : Nat\n⊢ x = x"}, []string{"x : Int\n⊢ x = x"}},
		{"spacing inside tokens", []string{"⊢ a+b"}, []string{"⊢ a + b"}},
		{"empty", nil, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if KeyOf(tt.a) == KeyOf(tt.b) {
				t.Errorf("keys collide:\n%q\n%q", tt.a, tt.b)
			}
		})
	}
}

// FuzzNormalizeFastPath checks the allocation-free fast path never changes
// what normalization produces.
func FuzzNormalizeFastPath(f *testing.F) {
	for _, seed := range []string{
		"x : Nat\n⊢ x = x", "a : A\nb : B\n⊢ P", "b : B\na : A\n⊢ P", "case h\nx : Nat\n⊢ P",
		"x y : Nat\n⊢ P", "x✝ : Nat\n⊢ P", "⊢ P\nx : Nat", "x : Nat\n  ⊢ P", "⊢ P", "",
		"h : ∀ (a b : Nat), a = b\n⊢ False", "h : a\nh : a\n⊢ b",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, goal string) {
		if got, want := NormalizeGoal(goal), normalizeGoalSlow(goal); got != want {
			t.Errorf("NormalizeGoal(%q) = %q, slow path %q", goal, got, want)
		}
	})
}
