import LeanProve.Basic

/-
LeanProve.Format: the integer model of the 3.5-bit format and of the
integer-accumulate kernel, exactly as quantcore computes them
(see quantcore/pack.go, quantcore/matrix.go, quantcore/gemv.go).

Units. quantcore works in float32/float64; every value it touches is a
dyadic rational (an fp16 scale is an integer multiple of 2^-24, a float32
weight an integer multiple of 2^-149), so scaling by a common power of two
makes the model exact integers. `quantLevel w s` is quantcore's
`QuantizeLevel` computed in exact arithmetic: quantcore divides in float64
first, which can differ from the exact quotient only when `w / s` lies within
one float64 rounding of a half-integer.

Everything here is a complete definition; the theorems are in
LeanProve.Quant.
-/

namespace LeanProve

/-! ### Levels and pair codes -/

/-- Level `q ∈ -5 … 5` as the digit `q + 5 ∈ 0 … 10` (quantcore: `q + 5`). -/
def levelDigit (q : Int) : Nat := (q + 5).toNat

/-- The 7-bit code of two digits: `c = 11 * a + b` (quantcore `PairCode`). -/
def encodePair (a b : Nat) : Nat := 11 * a + b

/-- Decoding: `a = c / 11`, `b = c % 11` (quantcore `SplitPair`). -/
def decodePair (c : Nat) : Nat × Nat := (c / 11, c % 11)

/-- The code of weights `2i` and `2i+1` of a group, from their levels. -/
def pairCode (q0 q1 : Int) : Nat := encodePair (levelDigit q0) (levelDigit q1)

/-! ### Quantization with clipping -/

/-- `roundHalfAwayFromZero (w / s)` for `s > 0`, in exact integer arithmetic:
`⌊(2w + s) / 2s⌋` for `w ≥ 0` and `-⌊(s - 2w) / 2s⌋` for `w < 0`. -/
def roundHalfAway (w s : Int) : Int :=
  if 0 ≤ w then (2 * w + s) / (2 * s) else -((s - 2 * w) / (2 * s))

/-- `clamp(z, -5, 5)`. -/
def clampLevel (z : Int) : Int :=
  if z < -5 then -5 else if 5 < z then 5 else z

/-- The level of weight `w` under scale `s` (quantcore `QuantizeLevel`):
`clamp(round(w / s), -5, 5)`, and `0` when the scale is `0`. -/
def quantLevel (w s : Int) : Int :=
  if s ≤ 0 then 0 else clampLevel (roundHalfAway w s)

/-- The dequantized weight `q * s` (quantcore `DequantizeLevel`). -/
def dequant (q s : Int) : Int := q * s

/-! ### Packing codes into 32-bit words

The `G/2` codes of a group form one bit stream: code `j` occupies stream bits
`[7j, 7j+7)`, least significant bit first, and stream bit `k` is bit `k % 32`
of word `k / 32`. As a number, the stream is `Σ_j c_j * 2^(7j)` and word `k`
is `(stream / 2^(32k)) % 2^32`; unused high bits of the last word are zero
(quantcore `PackCodes` / `UnpackCodes`). -/

/-- The stream `Σ_j codes[j] * 128^j`. -/
def streamOf : List Nat → Nat
  | [] => 0
  | c :: cs => c + 128 * streamOf cs

/-- The first `k` 32-bit words of a stream, least significant first.
Both arguments sit right of the colon because the stream changes in the
recursive call (structural recursion on the count `k`). -/
def wordsOf : (stream : Nat) → Nat → List Nat
  | _, 0 => []
  | stream, k + 1 => (stream % 4294967296) :: wordsOf (stream / 4294967296) k

/-- Words for `nCodes` codes: `⌈7 * nCodes / 32⌉` (quantcore `WordsPerGroup`,
with `nCodes = G / 2`). -/
def wordsFor (nCodes : Nat) : Nat := (7 * nCodes + 31) / 32

/-- Pack a group's codes into words. -/
def pack (codes : List Nat) : List Nat :=
  wordsOf (streamOf codes) (wordsFor codes.length)

/-- The stream `Σ_k words[k] * 2^(32k)` read back from words. -/
def streamOfWords : List Nat → Nat
  | [] => 0
  | w :: ws => w + 4294967296 * streamOfWords ws

/-- The first `k` 7-bit codes of a stream (structural recursion on `k`; the
stream changes in the recursive call, so it is matched right of the colon). -/
def codesOf : (stream : Nat) → Nat → List Nat
  | _, 0 => []
  | stream, k + 1 => (stream % 128) :: codesOf (stream / 128) k

/-- Unpack `nCodes` codes from a group's words. -/
def unpack (nCodes : Nat) (words : List Nat) : List Nat :=
  codesOf (streamOfWords words) nCodes

/-! ### The integer-accumulate kernel

Activations are quantized to int8 (`-127 … 127`) once per vector; for one
row and group the kernel computes `acc = Σ q[i] * xq[i]` in a 32-bit signed
register (quantcore `GEMVInt`, hip kernels). -/

/-- Two's-complement wrap of an integer to int32. -/
def wrap32 (z : Int) : Int := (z + 2147483648) % 4294967296 - 2147483648

/-- What an int32 register holds after accumulating `q i * x i` for
`i < n`, each product and each addition wrapped to 32 bits. -/
def acc32 (q x : Nat → Int) : Nat → Int
  | 0 => 0
  | n + 1 => wrap32 (acc32 q x n + wrap32 (q n * x n))

/-! ### Sizes -/

/-- Bits of one group of `G` weights: the packed words of its `G/2` codes
plus one scale of `scaleBits` bits (16 for fp16). Effective bits per weight
are `groupBits G scaleBits / G`. -/
def groupBits (G scaleBits : Nat) : Nat := 32 * wordsFor (G / 2) + scaleBits

/-- Bytes of `P` weights at 3.5 bits each, before scales: `⌈7P / 16⌉`. -/
def packedBytes (P : Nat) : Nat := (7 * P + 15) / 16

/-- Bytes of `P` weights in FP16. -/
def fp16Bytes (P : Nat) : Nat := 2 * P

end LeanProve
