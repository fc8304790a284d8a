import LeanProve.Format
import LeanProve.Bounds

/-
LeanProve.Quant: the eight quantization theorems. Each states, for all inputs,
a property that quantcore's tests check only on samples. Every proof is
`sorry`: these are targets for `prove`. Above each theorem: what it says,
where quantcore computes it, and the tactics expected to close it.
-/

namespace LeanProve

/-- **1. Pack/unpack round trip.** Packing any list of 7-bit codes into
32-bit words and unpacking as many codes gives the list back
(quantcore `PackCodes` / `UnpackCodes`).

Expected tactics: `induction codes` with two auxiliary facts proved by
induction, `streamOfWords (wordsOf s k) = s % 2^(32k)` and
`codesOf (streamOf cs) cs.length = cs`, plus `streamOf cs < 128^len`
(`Nat.mod_eq_of_lt`, `Nat.add_mul_div_left`, `Nat.add_mul_mod_self_left`,
`omega`). The hardest of the eight. -/
theorem pack_unpack_roundtrip (codes : List Nat) (h : ∀ c, c ∈ codes → c < 128) :
    unpack codes.length (pack codes) = codes := by sorry

/-- **2. Codes stay in range.** For any weights and scale, the pair code of
two quantized weights is at most 120, so it fits in 7 bits
(quantcore `QuantizeLevel`, `PairCode`; `checkGroupWords` rejects codes > 120).

Expected tactics: `unfold pairCode encodePair levelDigit quantLevel clampLevel`,
`split` on the `if`s (`split_ifs` is Mathlib; use `split` repeatedly or
`by_cases`), `omega` (which understands `Int.toNat`). -/
theorem code_in_range (w0 w1 s : Int) :
    pairCode (quantLevel w0 s) (quantLevel w1 s) ≤ 120 ∧
    pairCode (quantLevel w0 s) (quantLevel w1 s) < 128 := by sorry

/-- **3. Decoding inverts encoding on 0..10.** `c / 11` and `c % 11` recover
both digits of `c = 11a + b` (quantcore `SplitPair ∘ PairCode = id`).

Expected tactics: `simp only [decodePair, encodePair, Prod.mk.injEq]; omega`. -/
theorem decode_encode (a b : Nat) (ha : a ≤ 10) (hb : b ≤ 10) :
    decodePair (encodePair a b) = (a, b) := by sorry

/-- **4. Dequantization error inside the clip range.** For a positive scale
and a weight in `[-5s, 5s]`, the dequantized weight is within half a scale
step: `|w - q·s| ≤ s/2`, stated as `-s ≤ 2(w - q·s) ≤ s` over `Int`
(quantcore `CheckErrorBound` checks the same on real matrices).

Expected tactics: `unfold quantLevel roundHalfAway clampLevel dequant`,
case splits on the `if`s, then the floor-division facts
`Int.ediv_add_emod`, `Int.emod_nonneg`, `Int.emod_lt_of_pos` for the divisor
`2s`, and `Int.mul_le_mul`-style monotonicity (nonlinear: `q * s`). -/
theorem dequant_error_bound (w s : Int) (hs : 0 < s) (hlo : -(5 * s) ≤ w) (hhi : w ≤ 5 * s) :
    -s ≤ 2 * (w - dequant (quantLevel w s) s) ∧ 2 * (w - dequant (quantLevel w s) s) ≤ s := by sorry

/-- **5. The int32 accumulator cannot overflow.** For a dot product of length
up to 8192 with levels in `-5 … 5` and int8 inputs in `-127 … 127`, the
32-bit register (every product and sum wrapped) holds the exact value, and
that value lies in the int32 range (`|acc| ≤ 5·127·8192 = 5 201 920`).
quantcore `GEMVInt` and the hip kernels accumulate one group this way.

Expected tactics: strengthen to `acc32 q x k = dotN q x k` for `k ≤ n` by
`induction`; in the step, `dotN_bound` with `A = 5`, `B = 127` bounds the
partial sum, `mul_abs_le` the product, and `unfold wrap32; omega` shows
each wrap is the identity (`Int.emod_eq_of_lt`, or `omega` directly since
the modulus is a literal). -/
theorem acc_no_overflow (q x : Nat → Int) (n : Nat) (hn : n ≤ 8192)
    (hq : Levels q n) (hx : Bounded x n 127) :
    acc32 q x n = dotN q x n ∧ -2147483648 ≤ dotN q x n ∧ dotN q x n ≤ 2147483647 := by sorry

/-- **6. Effective bits per weight.** A group of `G` weights (G even) with a
`scaleBits`-bit scale takes `groupBits G scaleBits` bits, and
`7G + 2·scaleBits ≤ 2·groupBits < 7G + 2·scaleBits + 64`; exactly
`3.5 + scaleBits / G` bits per weight when `64 ∣ G` (G = 64, fp16 scale:
3.75). quantcore `Q35BitsPerWeight`, `WordsPerGroup`.

Expected tactics: `unfold groupBits wordsFor; omega` (division by literals). -/
theorem bits_per_weight (G scaleBits : Nat) (hG : G % 2 = 0) :
    7 * G + 2 * scaleBits ≤ 2 * groupBits G scaleBits ∧
    2 * groupBits G scaleBits < 7 * G + 2 * scaleBits + 64 ∧
    (G % 64 = 0 → 2 * groupBits G scaleBits = 7 * G + 2 * scaleBits) := by sorry

/-- **7. Model size and the ratio against FP16.** For a parameter count `P`
divisible by 16, the packed weights take exactly `7P/16` bytes before
scales, and FP16 takes `32/7 ≈ 4.571` times as much (quantcore `quant35 size`).

Expected tactics: `unfold packedBytes fp16Bytes; omega`. -/
theorem model_size_ratio (P : Nat) (hP : P % 16 = 0) :
    16 * packedBytes P = 7 * P ∧ 7 * fp16Bytes P = 32 * packedBytes P := by sorry

/-- **8. A 70-billion-weight model (corollary of 7).** Any parameter count
`P` within 5·10⁷ (±0.07 %) of 70·10⁹, a multiple of 16, takes 30.6–30.7 GB packed,
before scales, exactly 30 625 000 000 bytes at `P = 70·10⁹`, and FP16
(2 bytes a weight, 140 GB at 70·10⁹) is between 4.57 and 4.58 times larger.
Quantified over `P`, so `decide` cannot evaluate it.

Expected tactics: `unfold packedBytes fp16Bytes; omega` (division by the
literal 16), or theorem 7 via `have h := model_size_ratio P hP`. -/
theorem llama70b_size (P : Nat) (hP : P % 16 = 0)
    (hlo : 69950000000 ≤ P) (hhi : P ≤ 70050000000) :
    (P = 70000000000 → packedBytes P = 30625000000) ∧
    30600000000 ≤ packedBytes P ∧ packedBytes P < 30700000000 ∧
    457 * packedBytes P ≤ 100 * fp16Bytes P ∧
    100 * fp16Bytes P < 458 * packedBytes P := by sorry

end LeanProve
