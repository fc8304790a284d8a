package quantcore

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestF16RoundTripAllFinite(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := F16ToFloat32(uint16(h))
		if math.IsNaN(float64(f)) {
			if got := F16FromFloat32(f); got&0x7C00 != 0x7C00 || got&0x3FF == 0 {
				t.Fatalf("NaN %#04x came back as %#04x", h, got)
			}
			continue
		}
		if got := F16FromFloat32(f); got != uint16(h) {
			t.Fatalf("%#04x → %v → %#04x", h, f, got)
		}
	}
}

// nearestF16 is the slow oracle: the closest non-negative fp16 by search,
// ties to the even bit pattern.
func nearestF16(v float64) uint16 {
	up, ok := F16RoundUp(v)
	if !ok {
		if v < 65520 {
			return f16MaxBits
		}
		return f16InfBits
	}
	if up == 0 || F16ToFloat64(up) == v {
		return up
	}
	down := up - 1
	du, dd := F16ToFloat64(up)-v, v-F16ToFloat64(down)
	switch {
	case dd < du:
		return down
	case du < dd:
		return up
	case down%2 == 0:
		return down
	default:
		return up
	}
}

func TestF16FromFloat32MatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 50000; i++ {
		// Cover subnormal, normal and overflow ranges evenly in exponent.
		f := float32(math.Ldexp(rng.Float64(), rng.IntN(48)-30))
		if i%7 == 0 { // exact midpoints between neighbours
			h := uint16(rng.IntN(f16MaxBits))
			f = float32((F16ToFloat64(h) + F16ToFloat64(h+1)) / 2)
		}
		if got, want := F16FromFloat32(f), nearestF16(float64(f)); got != want {
			t.Fatalf("F16FromFloat32(%g) = %#04x, want %#04x", f, got, want)
		}
		if got, want := F16FromFloat32(-f), nearestF16(float64(f))|0x8000; got != want {
			t.Fatalf("F16FromFloat32(%g) = %#04x, want %#04x", -f, got, want)
		}
	}
}

// roundUpSearch is the oracle for F16RoundUp: binary search over all
// non-negative finite fp16 patterns.
func roundUpSearch(v float64) uint16 {
	lo, hi := uint16(0), uint16(f16MaxBits)
	for lo < hi {
		mid := lo + (hi-lo)/2
		if F16ToFloat64(mid) >= v {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

func TestF16RoundUp(t *testing.T) {
	tests := []struct {
		v    float64
		want uint16
		ok   bool
	}{
		{0, 0, true},
		{math.Copysign(0, -1), 0, true}, // -0 is zero: +0 bits, not a negative scale
		{1, 0x3C00, true},
		{1 + 1e-9, 0x3C01, true},
		{math.Ldexp(1, -24), 1, true},
		{math.Ldexp(1, -30), 1, true}, // below the smallest subnormal rounds up to it
		{65504, f16MaxBits, true},
		{65504.01, 0, false},
		{-1, 0, false},
		{math.NaN(), 0, false},
	}
	for _, tt := range tests {
		got, ok := F16RoundUp(tt.v)
		if got != tt.want || ok != tt.ok {
			t.Errorf("F16RoundUp(%g) = %#04x, %v; want %#04x, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 50000; i++ {
		v := math.Ldexp(rng.Float64(), rng.IntN(42)-26)
		if v > F16MaxFinite {
			continue
		}
		if i%3 == 0 { // exactly representable values and their neighbours
			v = F16ToFloat64(uint16(rng.IntN(f16MaxBits + 1)))
			v = []float64{v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1))}[i%9/3]
			if v > F16MaxFinite {
				continue
			}
		}
		h, ok := F16RoundUp(v)
		if !ok || h != roundUpSearch(v) || F16ToFloat64(h) < v || (h > 0 && F16ToFloat64(h-1) >= v) {
			t.Fatalf("F16RoundUp(%g) = %#04x (%g), not the smallest fp16 ≥ v", v, h, F16ToFloat64(h))
		}
	}
}

func TestBF16(t *testing.T) {
	if got := BF16ToFloat32(0x3F80); got != 1 {
		t.Errorf("BF16 0x3F80 = %v, want 1", got)
	}
	if got := BF16ToFloat32(0xC040); got != -3 {
		t.Errorf("BF16 0xC040 = %v, want -3", got)
	}
}

func TestScaleToFloat32(t *testing.T) {
	for h := uint16(0); h <= f16MaxBits; h++ {
		if got, want := scaleToFloat32(h), F16ToFloat32(h); got != want {
			t.Fatalf("scaleToFloat32(%#04x) = %g, want %g", h, got, want)
		}
	}
}
