package quantcore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// FuzzPackRoundTrip: any codes in 0..127 survive PackCodes/UnpackCodes and
// leave the padding bits zero.
func FuzzPackRoundTrip(f *testing.F) {
	f.Add([]byte{0, 120, 7, 64, 1})
	f.Add(bytes.Repeat([]byte{0x7F}, 32))
	f.Fuzz(func(t *testing.T, raw []byte) {
		codes := make([]uint8, len(raw))
		for i, b := range raw {
			codes[i] = b & 0x7F
		}
		words := make([]uint32, (CodeBits*len(codes)+31)/32)
		PackCodes(words, codes)
		got := make([]uint8, len(codes))
		UnpackCodes(got, words)
		if !bytes.Equal(got, codes) {
			t.Fatalf("round trip %v → %v", codes, got)
		}
		if rem := CodeBits * len(codes) % 32; rem != 0 && words[len(words)-1]>>uint(rem) != 0 {
			t.Fatalf("padding bits set: %#x", words[len(words)-1])
		}
	})
}

// FuzzQuantizeGroup: any float32 bit patterns quantize to valid codes meeting
// the error bound, or are rejected (NaN, Inf, scale overflow) with the
// matching sentinel error.
func FuzzQuantizeGroup(f *testing.F) {
	seed := func(vals ...float32) []byte {
		b := make([]byte, 4*len(vals))
		for i, v := range vals {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		return b
	}
	f.Add(seed(1, -2, 0.5, 3), false)
	f.Add(seed(5, 2.5, -0.5, 0), true)
	f.Add(seed(float32(math.NaN()), 1), false)
	f.Add(seed(float32(math.Inf(-1)), 1), false)
	f.Add(seed(math.SmallestNonzeroFloat32, 0, 1e-40, -1e-45), false)
	f.Add(seed(327520, -327520), false)
	f.Fuzz(func(t *testing.T, raw []byte, clip bool) {
		n := len(raw) / 4 &^ 1 // an even number of weights
		if n == 0 {
			return
		}
		w := make([]float32, n)
		hasNonFinite := false
		for i := range w {
			w[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			if math.IsNaN(float64(w[i])) || math.IsInf(float64(w[i]), 0) {
				hasNonFinite = true
			}
		}
		m, err := QuantizeMatrix("fuzz", w, 1, n, Options{GroupSize: n, ClipSearch: clip})
		switch {
		case hasNonFinite:
			if !errors.Is(err, ErrNonFinite) {
				t.Fatalf("non-finite input: err = %v", err)
			}
			return
		case float64(maxAbs(w))/MaxLevel > F16MaxFinite:
			if !errors.Is(err, ErrScaleOverflow) {
				t.Fatalf("max %g: err = %v, want overflow", maxAbs(w), err)
			}
			return
		case err != nil:
			t.Fatal(err)
		}
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		clipped, err := CheckErrorBound("fuzz", m, w)
		if err != nil {
			t.Fatal(err)
		}
		if !clip && clipped != 0 {
			t.Fatalf("%d weights clipped without clip search", clipped)
		}
	})
}

// FuzzReadVectors and FuzzReadContainer: arbitrary bytes never panic and
// never allocate beyond what the input holds; accepted files hold valid
// matrices.
func FuzzReadVectors(f *testing.F) {
	cases, err := GenerateVectors(1)
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteVectors(&buf, cases[:1]); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("Q35V\x01\x00\x00\x00\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadVectors(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, c := range got {
			if err := c.M.Validate(); err != nil {
				t.Fatalf("accepted an invalid matrix: %v", err)
			}
		}
	})
}

func FuzzReadContainer(f *testing.F) {
	m, err := QuantizeMatrix("w", []float32{1, 2, 3, 4}, 2, 2, Options{GroupSize: 2})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteContainer(&buf, []PackedTensor{{Name: "w", Shape: []int{2, 2}, M: m}, {Name: "b", Shape: []int{2}, Raw: []float32{1, 2}}}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadContainer(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, pt := range got {
			if pt.M != nil {
				if err := pt.M.Validate(); err != nil {
					t.Fatalf("accepted an invalid matrix: %v", err)
				}
			}
		}
	})
}

// FuzzF16: F16FromFloat32 agrees with the search oracle on any float32.
func FuzzF16(f *testing.F) {
	f.Add(uint32(0x3F800000))
	f.Add(uint32(0x33000000)) // 2^-25: half the smallest fp16 subnormal
	f.Fuzz(func(t *testing.T, bits uint32) {
		v := math.Float32frombits(bits)
		if math.IsNaN(float64(v)) {
			return
		}
		want := nearestF16(math.Abs(float64(v)))
		if math.Signbit(float64(v)) {
			want |= 0x8000
		}
		if got := F16FromFloat32(v); got != want && !(math.IsInf(float64(v), 0)) {
			t.Fatalf("F16FromFloat32(%g) = %#04x, want %#04x", v, got, want)
		}
	})
}
