/-
LeanProve.Basic: vectors and the predicates every other file uses.

A vector of length n is a function `Nat → Int` read at indices `0 … n-1`
(indices past n are ignored). Real-valued quantities are fixed-point
integers; each file says its units. Everything here is a complete
definition: no `sorry` appears in this file.
-/

namespace LeanProve

/-- The dot product `Σ_{i<n} a i * b i`, accumulated in index order. -/
def dotN (a b : Nat → Int) : Nat → Int
  | 0 => 0
  | n + 1 => dotN a b n + a n * b n

/-- The sum `Σ_{i<n} a i`. -/
def sumN (a : Nat → Int) : Nat → Int
  | 0 => 0
  | n + 1 => sumN a n + a n

/-- The sum of squares `Σ_{i<n} x i * x i`. -/
def sumSq (x : Nat → Int) (n : Nat) : Int := dotN x x n

/-- Every entry of `x` below `n` lies in `[-B, B]`. -/
def Bounded (x : Nat → Int) (n : Nat) (B : Int) : Prop :=
  ∀ i, i < n → -B ≤ x i ∧ x i ≤ B

/-- Every entry of `q` below `n` is a level of the 3.5-bit format, in `-5 … 5`. -/
def Levels (q : Nat → Int) (n : Nat) : Prop :=
  ∀ i, i < n → -5 ≤ q i ∧ q i ≤ 5

/-- Every scale of `s` below `n` lies in `[0, S]` (scales are never negative). -/
def Scales (s : Nat → Int) (n : Nat) (S : Int) : Prop :=
  ∀ i, i < n → 0 ≤ s i ∧ s i ≤ S

end LeanProve
