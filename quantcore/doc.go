// Package quantcore is the 3.5-bit weight quantizer ("q35") that the
// project's Lean theorems describe and its HIP kernel implements. This
// comment is the normative description of the format and of the reference
// arithmetic: quantcore, the kernel (hip/) and the theorems (theorems/) must
// all match it bit for bit.
//
// # Format
//
// A weight matrix is Rows × Cols, row-major. Each row is split into groups of
// G consecutive weights (G even, default 64). Cols % G must be 0; otherwise
// quantization fails with an error naming the tensor and the sizes.
//
// Scale. Per group, s = max|w| / 5 rounded UP to the next representable IEEE
// binary16 value and stored as its 16 bits (Matrix.Scales). Rounding up
// guarantees that every weight of the group lies in the clip range [-5s, 5s]
// with the stored scale. max|w| is taken over the float32 weights; the
// division is done in float64 (which cannot change the rounded-up fp16
// result, because max|w| is a float32). A group whose scale would exceed the
// largest finite fp16 (65504, i.e. max|w| > 327520) is an error. An all-zero
// group has s = 0 and every level 0. With Options.ClipSearch a smaller scale
// may be chosen per group (see ClipSearch below); weights outside [-5s, 5s]
// then clip. Clip search is off by default.
//
// Level. q = clamp(roundHalfAwayFromZero(w / s), -5, 5), with w widened to
// float64, s the stored fp16 scale widened to float64 and the division in
// float64. Dequantized weight = float32(q) * float32(s) (exact: q has 3
// significant bits and s has 11).
//
// Pair code. Weights 2i and 2i+1 of a group form one 7-bit code
// c = 11*a + b with a = q[2i] + 5 and b = q[2i+1] + 5 (a, b in 0..10, so
// c in 0..120; codes 121..127 never occur and are rejected by Validate).
// Decode: a = c / 11, b = c % 11.
//
// Packing. The G/2 codes of a group form a bit stream: code j occupies stream
// bits [7j, 7j+7), least significant bit first; stream bit k is bit k%32 of
// word k/32 of the group (little-endian). Words per group
// W = ceil(7*(G/2) / 32): G = 64 → 7 words (exactly 3.5 bits per weight),
// G = 128 → 14 words. Unused high bits of the last word are zero. The groups
// of a row are consecutive; rows are consecutive. Matrix.Words therefore has
// Rows*(Cols/G)*W words and Matrix.Scales has Rows*(Cols/G) entries, group g
// of row r at index r*(Cols/G)+g.
//
// Storage cost: (32*W + 16) / G bits per weight including the scale, i.e.
// 3.75 at G = 64 and 3.625 at G = 128.
//
// # Integer-accumulate GEMV (what the kernel computes, what the theorems bound)
//
// Activations x (float32, length Cols) are quantized once per vector to int8
// (QuantizeActivations): sx = float32(max|x|) / 127 as a float32 division;
// sx = 0 → all levels zero. xq[i] = clamp(roundHalfAwayFromZero(x[i] / sx),
// -127, 127) where x[i] / sx is a float32 division (C: roundf(x[i] / sx)).
// NaN or Inf in x is an error. (Rounding half away from zero is C's
// roundf/round and Go's math.Round.)
//
// For row r and group g: acc[r][g] = Σ_{i in group} q[i]*xq[i] as int32
// (exact: |acc| ≤ 5*127*G). partial[r][g] = float32(acc) * float32(scale_g),
// one float32 multiply.
//
// Reduction order (fixed, so that the GPU kernel and the Go reference agree
// bit for bit): with L = 64 lanes, lane l sums partial[r][g] for
// g = l, l+L, l+2L, ... in increasing g, in float32, starting from +0. Then a
// butterfly over lanes: for off = 32, 16, 8, 4, 2, 1: v[l] = v[l] + v[l^off]
// (float32). y[r] = v[0] * sx (float32 multiply). GEMVInt is the plain
// reference; GEMVIntFast (and GEMMIntFast) compute the same int32
// accumulators through per-position tables of decoded pairs, apply the same
// float32 operations in the same order, and are therefore bit-identical to
// it (tested on every generated shape). There is no faster path that rounds
// differently.
//
// Small-batch GEMM (GEMMInt, batch B ≤ 32): each batch column is exactly the
// GEMV above with its own sx. X is B × Cols row-major, Y is B × Rows
// row-major (Y[b*Rows + r]).
//
// Float reference GEMV (GEMVFloat): y[r] = Σ_i dequant(w[r][i]) * x[i] in
// float64, for error measurements only.
//
// # ClipSearch
//
// With Options.ClipSearch, each group tries the candidate scales
// s_k = fp16RoundUp(max|w| * (1 - k/40) / 5) for k = 0..20 (0.5..1.0 of the
// absmax scale) and keeps the one with the smallest Σ (w - dequant)², ties
// going to the larger scale (smaller k). Weights with |w| ≤ 5*s_k still meet
// |w - dequant| ≤ s_k/2.
//
// # Comparison formats
//
// Format implementations quantize-dequantize the same tensors for error
// comparison (SQNR, relative MSE, max abs error) and report effective bits
// per weight including scales: the 4-bit + 3-bit split pair (Split43),
// symmetric INT4 and INT3 with an fp16 scale per group, NF4 with an fp32
// absmax per block, and FP8 E4M3 with one fp32 scale per tensor.
//
// # Files
//
// ReadWeights reads F32, F16 and BF16 tensors from safetensors
// (github.com/nlpodyssey/safetensors) and GGUF (github.com/gpustack/gguf-parser-go)
// files. WriteVectors/ReadVectors define the kernel test-vector file and
// WriteContainer/ReadContainer the packed-model file; their layouts are
// described in vectors.go and container.go.
package quantcore
