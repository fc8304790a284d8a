import LeanProve.Basic

/-
LeanProve.Bounds: the generic lemmas every per-layer theorem is an instance
of. Nonlinear facts (products of two bounded quantities) live here, proved
once; the 320 per-layer theorems then need only these lemmas and linear
arithmetic on the layer's constants (`omega`).

Proof status (no Lean runs where this file was written, so nothing here has
been checked by Lean yet; see theorems/README.md):
* proved here: `mul_abs_le`, `natCast_succ_mul`, `dotN_bound`, `convex_bound`,
  `qrow_bound`, `resid_bound`; they use only `omega`, `simp only` with the
  distributivity lemmas `Int.mul_add`, `Int.add_mul`, `Int.mul_sub`,
  `Int.sub_mul`, `Int.one_mul`, `Int.mul_nonneg`, and `induction`.
* left as `sorry` (targets for the prover): `rmsnorm_bound` (needs a square
  root argument and division by a variable), `attn_block_bound` and
  `ffn_block_bound` (compositions of the proved lemmas; a candidate proof is
  written above each).
-/

namespace LeanProve

/-! ### Fixed-point layer arithmetic

Units: activations (residual stream, normalized inputs, projections) are
integers in units of 2^-8; RMSNorm gains in units of 2^-8; weight scales in
units of 2^-24 (every fp16 value is an exact multiple of 2^-24); attention
weights (softmax outputs) in units of 2^-16. A dequantized weight is
`q * s`, so a row of a projection is `Σ (q i * s i) * x i`, rescaled from
2^-32 back to activation units by `/ 2^24`. -/

/-- One output of a quantized projection of length `n`: `Σ_{i<n} (q i * s i) * x i`
rescaled from scale units (2^-24) to activation units. -/
def qrow (q s x : Nat → Int) (n : Nat) : Int :=
  dotN (fun i => q i * s i) x n / 16777216

/-- RMSNorm: `γ_i * x_i / r`, where `r > 0` is the root mean square of `x`
(plus ε) as computed, `n * r * r ≥ Σ x_i²`. -/
def rmsnorm (g x : Nat → Int) (r : Int) (i : Nat) : Int := (g i * x i) / r

/-- Grouped-query attention: query coordinate `j` (head `j / 128` of 64)
reads value coordinate `kvIndex j` of KV head `j / 1024` (8 KV heads of 128). -/
def kvIndex (j : Nat) : Nat := (j / 1024) * 128 + j % 128

/-- The value projection (1024 × 8192) of position `t`'s normalized input,
coordinate `c`. -/
def valueAt (u : Nat → Nat → Int) (qv sv : Nat → Nat → Int) (t c : Nat) : Int :=
  qrow (qv c) (sv c) (u t) 8192

/-- Attention mixing: query coordinate `k` is the softmax-weighted sum over
`T` key positions of its KV head's values; `p h t ≥ 0` are the weights of
head `h` (units 2^-16, summing to at most 2^16). -/
def mixed (u : Nat → Nat → Int) (qv sv : Nat → Nat → Int) (p : Nat → Nat → Int)
    (T : Nat) (k : Nat) : Int :=
  dotN (p (k / 128)) (fun t => valueAt u qv sv t (kvIndex k)) T / 65536

/-- The attention block's output coordinate `j`: the output projection
(8192 × 8192) of the mixed values. -/
def attnOut (u : Nat → Nat → Int) (qv sv : Nat → Nat → Int) (p : Nat → Nat → Int)
    (T : Nat) (qo so : Nat → Nat → Int) (j : Nat) : Int :=
  qrow (qo j) (so j) (mixed u qv sv p T) 8192

/-- The SwiGLU hidden unit `k` (of 28672): `act(gate_k) * up_k`, rescaled. -/
def ffnHidden (u : Nat → Int) (qg sg qu su : Nat → Nat → Int) (act : Int → Int)
    (k : Nat) : Int :=
  act (qrow (qg k) (sg k) u 8192) * qrow (qu k) (su k) u 8192 / 256

/-- The feed-forward block's output coordinate `j`: the down projection
(8192 × 28672) of the hidden units. -/
def ffnOut (u : Nat → Int) (qg sg qu su : Nat → Nat → Int) (act : Int → Int)
    (qd sd : Nat → Nat → Int) (j : Nat) : Int :=
  qrow (qd j) (sd j) (ffnHidden u qg sg qu su act) 28672

/-! ### The product lemma (the only nonlinear step)

Expected tactics: four `Int.mul_nonneg` facts, distributed with
`simp only [Int.sub_mul, Int.mul_sub, Int.add_mul, Int.mul_add]`, then
`omega` (which treats the products `A*B`, `A*b`, `a*B`, `a*b` as atoms). -/

/-- `|a| ≤ A` and `|b| ≤ B` give `|a * b| ≤ A * B`. -/
theorem mul_abs_le (a b A B : Int) (ha : -A ≤ a ∧ a ≤ A) (hb : -B ≤ b ∧ b ≤ B) :
    -(A * B) ≤ a * b ∧ a * b ≤ A * B := by
  have h1 : 0 ≤ (A - a) * (B - b) := Int.mul_nonneg (by omega) (by omega)
  have h2 : 0 ≤ (A + a) * (B + b) := Int.mul_nonneg (by omega) (by omega)
  have h3 : 0 ≤ (A - a) * (B + b) := Int.mul_nonneg (by omega) (by omega)
  have h4 : 0 ≤ (A + a) * (B - b) := Int.mul_nonneg (by omega) (by omega)
  simp only [Int.sub_mul, Int.mul_sub, Int.add_mul, Int.mul_add] at h1 h2 h3 h4
  omega

/-- `(k+1) * C = k * C + C` across the cast from `Nat`. -/
theorem natCast_succ_mul (k : Nat) (C : Int) :
    ((k + 1 : Nat) : Int) * C = (k : Int) * C + C := by
  have e : ((k + 1 : Nat) : Int) = (k : Int) + 1 := by omega
  rw [e, Int.add_mul, Int.one_mul]

/-! ### The dot-product bound (generic lemma 1)

Expected tactics: `induction n`, the product lemma on the new term,
`natCast_succ_mul`, `simp only [dotN]`, `omega`. -/

/-- `|Σ_{i<n} a i * b i| ≤ n * (A * B)` when `|a i| ≤ A` and `|b i| ≤ B`. With
levels (`A = 5`) and int8 inputs (`B = 127`) this is the `5·n·B` bound. -/
theorem dotN_bound (a b : Nat → Int) (A B : Int) (n : Nat)
    (ha : ∀ i, i < n → -A ≤ a i ∧ a i ≤ A)
    (hb : ∀ i, i < n → -B ≤ b i ∧ b i ≤ B) :
    -((n : Int) * (A * B)) ≤ dotN a b n ∧ dotN a b n ≤ (n : Int) * (A * B) := by
  induction n with
  | zero =>
    simp only [dotN]
    omega
  | succ k ih =>
    have ih' := ih (fun i hi => ha i (by omega)) (fun i hi => hb i (by omega))
    have hk := mul_abs_le (a k) (b k) A B (ha k (by omega)) (hb k (by omega))
    have e := natCast_succ_mul k (A * B)
    simp only [dotN]
    omega

/-- A weighted sum with nonnegative weights is bounded by the total weight
times the bound of the summands (softmax mixing cannot grow values). -/
theorem convex_bound (p v : Nat → Int) (V : Int) (T : Nat)
    (hp : ∀ t, t < T → 0 ≤ p t)
    (hv : ∀ t, t < T → -V ≤ v t ∧ v t ≤ V) :
    -(sumN p T * V) ≤ dotN p v T ∧ dotN p v T ≤ sumN p T * V := by
  induction T with
  | zero =>
    simp only [dotN, sumN]
    omega
  | succ k ih =>
    have ih' := ih (fun t ht => hp t (by omega)) (fun t ht => hv t (by omega))
    have hpk := hp k (by omega)
    have hvk := hv k (by omega)
    have h1 : 0 ≤ p k * (V - v k) := Int.mul_nonneg hpk (by omega)
    have h2 : 0 ≤ p k * (V + v k) := Int.mul_nonneg hpk (by omega)
    rw [Int.mul_sub] at h1
    rw [Int.mul_add] at h2
    simp only [dotN, sumN, Int.add_mul]
    omega

/-- One output of a quantized projection: levels in `-5 … 5`, scales in
`[0, S]`, inputs in `[-B, B]`, length `n`, give `|qrow| ≤ M` whenever
`n * 5 * S * B ≤ M * 2^24`. -/
theorem qrow_bound (q s x : Nat → Int) (n : Nat) (S B M : Int)
    (hq : Levels q n) (hs : Scales s n S) (hx : Bounded x n B)
    (hM : (n : Int) * (5 * S * B) ≤ M * 16777216) :
    -M ≤ qrow q s x n ∧ qrow q s x n ≤ M := by
  have hd := dotN_bound (fun i => q i * s i) x (5 * S) B n
    (fun i hi => mul_abs_le (q i) (s i) 5 S (hq i hi) (by have := hs i hi; omega))
    hx
  unfold qrow
  omega

/-! ### The residual bound (generic lemma 2: the triangle inequality)

Expected tactics: `intro`, the three hypotheses at `i`, `show` to
beta-reduce, `omega`. -/

/-- `|h + a + f| ≤ H + A + F ≤ M`, coordinatewise. -/
theorem resid_bound {h a f : Nat → Int} {n : Nat} {H A F M : Int}
    (hh : Bounded h n H) (ha : Bounded a n A) (hf : Bounded f n F)
    (hM : H + A + F ≤ M) :
    Bounded (fun i => h i + a i + f i) n M := by
  intro i hi
  have h1 := hh i hi
  have h2 := ha i hi
  have h3 := hf i hi
  show -M ≤ h i + a i + f i ∧ h i + a i + f i ≤ M
  omega

/-! ### The RMSNorm bound (generic lemma 3)

Statement: if `n * r² ≥ Σ x_j²` (r is at least the root mean square) and
`K² ≥ n`, then `|x_i| ≤ K * r` for each i, so `|γ_i * x_i / r| ≤ G * K`: the
normalized output is at most `G * ⌈√n⌉` whatever the input's magnitude.

Expected proof: `x_i² ≤ Σ x_j²` by induction on `n` (squares are
nonnegative: `Int.mul_nonneg` on `x` or `-x`); `x_i² ≤ n r² ≤ (K r)²`;
`|x_i| ≤ K r` by contradiction with `Int.mul_lt_mul`-style steps (or the
four-product trick of `mul_abs_le`); `mul_abs_le` for `γ_i * x_i`; then the
floor division by `r > 0` via `Int.ediv_add_emod`, `Int.emod_nonneg`,
`Int.emod_lt_of_pos`. Left as `sorry`: it needs lemma names about division by
a variable that could not be checked here. -/

theorem rmsnorm_bound {g x : Nat → Int} {r : Int} {n : Nat} {G K U : Int}
    (hr : 0 < r) (hrms : sumSq x n ≤ (n : Int) * (r * r))
    (hK : (n : Int) ≤ K * K) (hK0 : 0 ≤ K) (hU : G * K ≤ U)
    (hg : Bounded g n G) :
    Bounded (rmsnorm g x r) n U := by sorry

/-! ### The block lemmas (compositions)

Their numeric arguments are implicit, so every per-layer theorem is closed by
the same text: `exact attn_block_bound hu hqv hsv hp hP hqo hso (by omega) (by omega)`
and `exact ffn_block_bound hact hu hqg hsg hqu hsu hqd hsd (by omega)`; the
intermediate bounds are the ceilings written out in the last hypothesis, so
the remaining side goal is closed arithmetic on the layer's numerals.

Attention: the value projection of each position is bounded by
`V = ⌈8192·5·Sv·U / 2^24⌉` (`qrow_bound`), softmax mixing keeps it within `V`
(`convex_bound`, weights summing to at most 2^16), and the output projection
bounds the block by `A` (`qrow_bound`). Candidate proof (unchecked), with `V`
the ceiling above:

    have hV0 : 0 ≤ V := ...            -- Int.mul_nonneg, Scales gives 0 ≤ Sv
    have hz : Bounded (mixed u qv sv p T) 8192 V := by
      intro k hk
      have hkv : kvIndex k < 1024 := by unfold kvIndex; omega
      have hc := convex_bound (p (k / 128)) (fun t => valueAt u qv sv t (kvIndex k)) V T
        (fun t ht => hp (k / 128) t (by omega) ht)
        (fun t ht => qrow_bound (qv (kvIndex k)) (sv (kvIndex k)) (u t) 8192 Sv U V
          (hqv _ hkv) (hsv _ hkv) (hu t ht) (by omega))
      have hPk := hP (k / 128) (by omega)
      have h1 : 0 ≤ (65536 - sumN (p (k / 128)) T) * V := Int.mul_nonneg (by omega) hV0
      rw [Int.sub_mul] at h1
      unfold mixed
      omega
    intro j hj
    exact qrow_bound (qo j) (so j) (mixed u qv sv p T) 8192 So V A (hqo j hj) (hso j hj) hz hA
-/

theorem attn_block_bound {u : Nat → Nat → Int} {qv sv : Nat → Nat → Int}
    {p : Nat → Nat → Int} {T : Nat} {qo so : Nat → Nat → Int}
    {U Sv So A : Int}
    (hu : ∀ t, t < T → Bounded (u t) 8192 U)
    (hqv : ∀ k, k < 1024 → Levels (qv k) 8192)
    (hsv : ∀ k, k < 1024 → Scales (sv k) 8192 Sv)
    (hp : ∀ h t, h < 64 → t < T → 0 ≤ p h t)
    (hP : ∀ h, h < 64 → sumN (p h) T ≤ 65536)
    (hqo : ∀ j, j < 8192 → Levels (qo j) 8192)
    (hso : ∀ j, j < 8192 → Scales (so j) 8192 So)
    (hU0 : 0 ≤ U)
    (hA : ((8192 : Nat) : Int) *
        (5 * So * ((((8192 : Nat) : Int) * (5 * Sv * U) + 16777215) / 16777216))
        ≤ A * 16777216) :
    Bounded (attnOut u qv sv p T qo so) 8192 A := by sorry

/-
Feed-forward (SwiGLU): gate and up projections bounded by
`Gt = ⌈8192·5·Sg·U / 2^24⌉` and `Up = ⌈8192·5·Su·U / 2^24⌉` (`qrow_bound`); the
activation satisfies `|act a| ≤ |a|` (true of SiLU: `|a · σ(a)| ≤ |a|`); the
product and its rescaling by `mul_abs_le`, giving `Mh = ⌈Gt·Up / 256⌉`; the
down projection by `qrow_bound`. Candidate proof (unchecked), with `Gt`, `Up`,
`Mh` the ceilings above:

    have hm : Bounded (ffnHidden u qg sg qu su act) 28672 Mh := by
      intro k hk
      have hg := qrow_bound (qg k) (sg k) u 8192 Sg U Gt (hqg k hk) (hsg k hk) hu (by omega)
      have hup := qrow_bound (qu k) (su k) u 8192 Su U Up (hqu k hk) (hsu k hk) hu (by omega)
      have ha := hact (qrow (qg k) (sg k) u 8192) Gt hg.1 hg.2
      have hprod := mul_abs_le (act (qrow (qg k) (sg k) u 8192)) (qrow (qu k) (su k) u 8192)
        Gt Up ha hup
      unfold ffnHidden
      omega
    intro j hj
    exact qrow_bound (qd j) (sd j) (ffnHidden u qg sg qu su act) 28672 Sd Mh F
      (hqd j hj) (hsd j hj) hm hF
-/

theorem ffn_block_bound {u : Nat → Int} {qg sg qu su : Nat → Nat → Int}
    {act : Int → Int} {qd sd : Nat → Nat → Int}
    {U Sg Su Sd F : Int}
    (hact : ∀ a B : Int, -B ≤ a → a ≤ B → -B ≤ act a ∧ act a ≤ B)
    (hu : Bounded u 8192 U)
    (hqg : ∀ k, k < 28672 → Levels (qg k) 8192)
    (hsg : ∀ k, k < 28672 → Scales (sg k) 8192 Sg)
    (hqu : ∀ k, k < 28672 → Levels (qu k) 8192)
    (hsu : ∀ k, k < 28672 → Scales (su k) 8192 Su)
    (hqd : ∀ j, j < 8192 → Levels (qd j) 28672)
    (hsd : ∀ j, j < 8192 → Scales (sd j) 28672 Sd)
    (hF : ((28672 : Nat) : Int) *
        (5 * Sd *
          (((((8192 : Nat) : Int) * (5 * Sg * U) + 16777215) / 16777216 *
            ((((8192 : Nat) : Int) * (5 * Su * U) + 16777215) / 16777216) + 255) / 256))
        ≤ F * 16777216) :
    Bounded (ffnOut u qg sg qu su act qd sd) 8192 F := by sorry

end LeanProve
