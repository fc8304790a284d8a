package theorems

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/leanprove/leanprove/quantcore"
)

// The definitions of LeanProve/Format.lean transliterated to Go, line for
// line (Lean's Int `/` and `%` are floor division and a non-negative
// remainder for a positive divisor), and checked against quantcore: the
// theorems are only worth proving if the model is what quantcore computes.

func floorDiv(a, b int64) int64 { // b > 0
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - b*floorDiv(a, b) }

func leanLevelDigit(q int64) int64 { return max(q+5, 0) } // (q + 5).toNat
func leanEncodePair(a, b int64) int64 {
	return 11*a + b
}
func leanDecodePair(c int64) (int64, int64) { return c / 11, c % 11 }
func leanPairCode(q0, q1 int64) int64       { return leanEncodePair(leanLevelDigit(q0), leanLevelDigit(q1)) }

func leanRoundHalfAway(w, s int64) int64 {
	if 0 <= w {
		return floorDiv(2*w+s, 2*s)
	}
	return -floorDiv(s-2*w, 2*s)
}

func leanClampLevel(z int64) int64 {
	switch {
	case z < -5:
		return -5
	case 5 < z:
		return 5
	}
	return z
}

func leanQuantLevel(w, s int64) int64 {
	if s <= 0 {
		return 0
	}
	return leanClampLevel(leanRoundHalfAway(w, s))
}

func leanStreamOf(codes []int64) *big.Int { // c + 128 * streamOf cs
	acc := new(big.Int)
	for i := len(codes) - 1; i >= 0; i-- {
		acc.Mul(acc, big.NewInt(128))
		acc.Add(acc, big.NewInt(codes[i]))
	}
	return acc
}

var two32 = new(big.Int).Lsh(big.NewInt(1), 32)

func leanWordsOf(stream *big.Int, k int) []int64 {
	var out []int64
	s := new(big.Int).Set(stream)
	for ; k > 0; k-- {
		q, r := new(big.Int).DivMod(s, two32, new(big.Int))
		out = append(out, r.Int64())
		s = q
	}
	return out
}

func leanWordsFor(nCodes int) int { return (7*nCodes + 31) / 32 }

func leanPack(codes []int64) []int64 {
	return leanWordsOf(leanStreamOf(codes), leanWordsFor(len(codes)))
}

func leanUnpack(nCodes int, words []int64) []int64 {
	s := new(big.Int)
	for i := len(words) - 1; i >= 0; i-- {
		s.Mul(s, two32)
		s.Add(s, big.NewInt(words[i]))
	}
	var out []int64
	for ; nCodes > 0; nCodes-- {
		q, r := new(big.Int).DivMod(s, big.NewInt(128), new(big.Int))
		out = append(out, r.Int64())
		s = q
	}
	return out
}

func leanWrap32(z int64) int64 { return floorMod(z+2147483648, 4294967296) - 2147483648 }

func leanAcc32(q, x []int64) int64 {
	var acc int64
	for i := range q {
		acc = leanWrap32(acc + leanWrap32(q[i]*x[i]))
	}
	return acc
}

func leanGroupBits(g, scaleBits int) int { return 32*leanWordsFor(g/2) + scaleBits }
func leanPackedBytes(p int64) int64      { return (7*p + 15) / 16 }

func TestModelPairCodesMatchQuantcore(t *testing.T) {
	for q0 := int64(-5); q0 <= 5; q0++ {
		for q1 := int64(-5); q1 <= 5; q1++ {
			c := leanPairCode(q0, q1)
			if want := int64(quantcore.PairCode(int8(q0), int8(q1))); c != want {
				t.Fatalf("pairCode %d %d = %d, quantcore %d", q0, q1, c, want)
			}
			a, b := leanDecodePair(c)
			g0, g1 := quantcore.SplitPair(uint8(c))
			if a-5 != int64(g0) || b-5 != int64(g1) || a != q0+5 || b != q1+5 {
				t.Fatalf("decodePair %d = %d %d, quantcore %d %d", c, a, b, g0, g1)
			}
		}
	}
}

func TestModelPackingMatchesQuantcore(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, g := range []int{2, 8, 10, 64, 66, 128, 256} {
		for trial := 0; trial < 50; trial++ {
			codes := make([]uint8, g/2)
			lean := make([]int64, g/2)
			for i := range codes {
				codes[i] = uint8(rng.IntN(quantcore.MaxCode + 1))
				lean[i] = int64(codes[i])
			}
			words := make([]uint32, quantcore.WordsPerGroup(g))
			quantcore.PackCodes(words, codes)
			lw := leanPack(lean)
			if len(lw) != len(words) {
				t.Fatalf("G=%d: Lean packs into %d words, quantcore %d", g, len(lw), len(words))
			}
			for i := range words {
				if lw[i] != int64(words[i]) {
					t.Fatalf("G=%d word %d: Lean %#x, quantcore %#x", g, i, lw[i], words[i])
				}
			}
			for i, c := range leanUnpack(len(lean), lw) {
				if c != lean[i] {
					t.Fatalf("G=%d: unpack code %d = %d, want %d", g, i, c, lean[i])
				}
			}
		}
		if got := float64(leanGroupBits(g, 16)) / float64(g); got != quantcore.Q35BitsPerWeight(g) {
			t.Errorf("G=%d: groupBits/G = %g, quantcore %g", g, got, quantcore.Q35BitsPerWeight(g))
		}
	}
	if got := leanPackedBytes(70_000_000_000); got != 30_625_000_000 {
		t.Errorf("packedBytes 70e9 = %d", got)
	}
}

// TestModelQuantLevelMatchesQuantcore compares the exact-integer level with
// quantcore's float64 QuantizeLevel on weights that are multiples of 2^-20
// and fp16 scales (multiples of 2^-24): both scaled by 2^24 are integers.
// At these magnitudes float64 division cannot cross a half-integer, so the
// two must agree everywhere, ties included.
func TestModelQuantLevelMatchesQuantcore(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	check := func(wUnits int64, scale uint16) {
		w := float32(math.Ldexp(float64(wUnits), -20))
		s := int64(math.Ldexp(quantcore.F16ToFloat64(scale), 24))
		W := wUnits * 16 // 2^-20 → 2^-24 units
		got := leanQuantLevel(W, s)
		if want := int64(quantcore.QuantizeLevel(w, scale)); got != want {
			t.Fatalf("w=%g s=%g: Lean level %d, quantcore %d", w, quantcore.F16ToFloat64(scale), got, want)
		}
		// Theorem dequant_error_bound on this sample: inside the clip range
		// the error is at most half a step.
		if s > 0 && -5*s <= W && W <= 5*s {
			if e := 2 * (W - got*s); e < -s || e > s {
				t.Fatalf("w=%g s=%d: 2·error %d outside ±%d", w, s, e, s)
			}
		}
	}
	for trial := 0; trial < 200000; trial++ {
		scale := uint16(0x0400 + rng.IntN(0x3000)) // normal fp16 from 2^-14 up to 2^-2
		wUnits := rng.Int64N(1<<24) - 1<<23
		check(wUnits, scale)
	}
	// Exact ties at every half level, and zero scales.
	for _, scale := range []uint16{0x0400, 0x1C00, 0x2E66, 0x3000} {
		s := int64(math.Ldexp(quantcore.F16ToFloat64(scale), 24))
		for n := int64(-7); n <= 7; n++ {
			if (2*n+1)*s%32 == 0 { // representable as a multiple of 2^-20
				check((2*n+1)*s/32, scale)
			}
		}
		check(12345, 0)
	}
}

func TestModelAccumulatorMatchesInt32(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 20; trial++ {
		n := 8192
		q, x := make([]int64, n), make([]int64, n)
		var acc32 int32
		var exact int64
		for i := range q {
			q[i] = int64(rng.IntN(11) - 5)
			x[i] = int64(rng.IntN(255) - 127)
			if trial == 0 { // the extreme case of acc_no_overflow
				q[i], x[i] = 5, 127
			}
			acc32 += int32(q[i]) * int32(x[i])
			exact += q[i] * x[i]
		}
		if got := leanAcc32(q, x); got != int64(acc32) || got != exact {
			t.Fatalf("trial %d: acc32 %d, Go int32 %d, exact %d", trial, got, acc32, exact)
		}
	}
	// The wrap itself: past the int32 range it differs from the exact sum.
	if leanWrap32(2147483648) != -2147483648 || leanWrap32(-2147483649) != 2147483647 {
		t.Error("wrap32 is not two's-complement wrapping")
	}
}
