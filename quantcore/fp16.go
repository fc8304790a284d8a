package quantcore

import "math"

// fp16 (IEEE 754 binary16) and bfloat16 conversions. Scales are stored as
// fp16 bits; conversions to float32/float64 are exact.

const (
	// F16MaxFinite is the largest finite fp16 value.
	F16MaxFinite = 65504.0
	f16MaxBits   = 0x7BFF
	f16InfBits   = 0x7C00
)

// F16ToFloat32 widens fp16 bits to float32 exactly (subnormals, infinities
// and NaN included).
func F16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1F
	mant := uint32(h) & 0x3FF
	switch {
	case exp == 0x1F: // Inf or NaN
		return math.Float32frombits(sign | 0x7F800000 | mant<<13)
	case exp != 0: // normal: rebias 15 → 127
		return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
	case mant == 0:
		return math.Float32frombits(sign)
	default: // subnormal: mant × 2^-24, exact in float32
		v := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
}

// scaleToFloat32 is F16ToFloat32 for non-negative finite values (scales),
// small enough to inline in the GEMV loops.
func scaleToFloat32(h uint16) float32 {
	if h < 0x400 { // zero or subnormal: h × 2^-24, exact
		return float32(h) * (1.0 / (1 << 24))
	}
	return math.Float32frombits((uint32(h) + (112 << 10)) << 13) // rebias 15 → 127
}

// F16ToFloat64 widens fp16 bits to float64 exactly.
func F16ToFloat64(h uint16) float64 { return float64(F16ToFloat32(h)) }

// F16FromFloat32 rounds a float32 to the nearest fp16, ties to even
// (the IEEE default). Values beyond the fp16 range become ±Inf; NaN stays NaN.
func F16FromFloat32(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xFF
	mant := b & 0x7FFFFF
	if exp == 0xFF {
		if mant != 0 {
			return sign | 0x7E00 // quiet NaN
		}
		return sign | f16InfBits
	}
	e := exp - 127 + 15 // fp16 biased exponent
	if e >= 0x1F {
		return sign | f16InfBits
	}
	if e <= 0 {
		// Subnormal (or zero) in fp16: value = full × 2^(exp-150); fp16 unit is 2^-24.
		if e < -10 {
			return sign // rounds to zero (below half the smallest subnormal)
		}
		full := mant | 0x800000
		shift := uint32(14 - e) // 126 - exp
		half := uint32(1) << (shift - 1)
		q := full >> shift
		rem := full & (1<<shift - 1)
		if rem > half || (rem == half && q&1 == 1) {
			q++
		}
		return sign | uint16(q)
	}
	q := uint32(e)<<10 | mant>>13
	rem := mant & 0x1FFF
	if rem > 0x1000 || (rem == 0x1000 && q&1 == 1) {
		q++ // may carry into the exponent, up to Inf: correct
	}
	return sign | uint16(q)
}

// F16RoundUp returns the bits of the smallest finite non-negative fp16 value
// ≥ v, for finite v ≥ 0, and ok = false if v exceeds F16MaxFinite (or is
// negative or NaN). This is how group scales are rounded.
func F16RoundUp(v float64) (h uint16, ok bool) {
	if !(v >= 0) || v > F16MaxFinite {
		return 0, false
	}
	if v == 0 {
		return 0, true // also for -0, which would otherwise give the bits 0x8000
	}
	// Start from the nearest fp16 (through float32, so possibly one step
	// off) and step: non-negative fp16 bit patterns order like their values,
	// so the loops end at the smallest h with value ≥ v.
	h = F16FromFloat32(float32(v))
	for F16ToFloat64(h) < v {
		h++
	}
	for h > 0 && F16ToFloat64(h-1) >= v {
		h--
	}
	return h, true
}

// BF16ToFloat32 widens bfloat16 bits to float32 exactly.
func BF16ToFloat32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
