package quantcore

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestBitsPerWeight(t *testing.T) {
	tests := []struct {
		f    Format
		n    int
		want float64
	}{
		{Q35Format{Group: 64}, 0, 3.75},
		{Q35Format{Group: 128}, 0, 3.625},
		{Q35Format{Group: 32}, 0, 4.5}, // 4 words (16 padding bits) + scale
		{Split43Format{Group: 64}, 0, 3.75},
		{IntFormat{Bits: 4, Group: 128}, 0, 4.125},
		{IntFormat{Bits: 3, Group: 128}, 0, 3.125},
		{NF4Format{Block: 64}, 0, 4.5},
		{FP8E4M3Format{}, 1 << 20, 8 + 32.0/(1<<20)},
	}
	for _, tt := range tests {
		if got := tt.f.BitsPerWeight(tt.n); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: %v bits per weight, want %v", tt.f.Name(), got, tt.want)
		}
	}
}

func TestRoundE4M3(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{0, 0}, {1, 1}, {448, 448}, {500, 448}, {-1e9, -448},
		{1.0625, 1},                            // halfway between 1 and 1.125: ties to even code (1.0 has mantissa 0)
		{1.1875, 1.25},                         // halfway between 1.125 (odd) and 1.25 (even)
		{math.Ldexp(1, -9), math.Ldexp(1, -9)}, // smallest subnormal
		{math.Ldexp(1, -11), 0},                // a quarter of it
		{-3.3, -3.25},
	}
	for _, tt := range tests {
		if got := RoundE4M3(tt.in); got != tt.want {
			t.Errorf("RoundE4M3(%g) = %g, want %g", tt.in, got, tt.want)
		}
	}
	if n := len(e4m3Values); n != 127 || e4m3Values[126] != 448 {
		t.Errorf("%d E4M3 values, largest %g", n, e4m3Values[n-1])
	}
}

func TestFormatsRejectBadInput(t *testing.T) {
	for _, f := range append(TableFormats(64), EvalFormats(64)...) {
		_, err := f.QuantDequant("t", append(make([]float32, 127), float32(math.NaN())), 1, 128)
		if err == nil {
			t.Errorf("%s accepted NaN", f.Name())
		}
		if _, ok := f.(FP8E4M3Format); ok {
			continue
		}
		if _, err := f.QuantDequant("t", make([]float32, 96), 1, 96); !errors.Is(err, ErrGroupSize) {
			t.Errorf("%s: 96 columns: err = %v, want ErrGroupSize", f.Name(), err)
		}
	}
}

// sqnrOf measures one format on n synthetic weights of a distribution.
func sqnrOf(t testing.TB, f Format, dist string, n int) float64 {
	rng := rand.New(rand.NewPCG(77, 78))
	var w []float32
	if dist == "gauss" {
		w = gaussMatrix(rng, n, 0.02)
	} else {
		w = laplaceMatrix(rng, n, 0.01)
	}
	cols := 4096
	wq, err := f.QuantDequant(dist, w, n/cols, cols)
	if err != nil {
		t.Fatal(err)
	}
	return MeasureError(w, wq).SQNR()
}

// The formats rank as their bits suggest on Gaussian weights, and q35 lands
// where the research simulation put it (16.5 dB at G = 64).
func TestSQNROrdering(t *testing.T) {
	const n = 1 << 18
	s := map[string]float64{}
	for _, f := range TableFormats(64) {
		s[f.Name()] = sqnrOf(t, f, "gauss", n)
	}
	if !(s["int4-g64"] > s["q35-g64"] && s["q35-g64"] > s["split43-g64"] && s["q35-g64"] > s["int3-g64"]) {
		t.Errorf("unexpected ranking: %v", s)
	}
	if s["q35-g64-clip"] < s["q35-g64"] {
		t.Errorf("clip search lowered SQNR: %v", s)
	}
	if q := s["q35-g64"]; q < 15.5 || q > 17.5 {
		t.Errorf("q35-g64 SQNR %.2f dB outside 15.5..17.5", q)
	}
}

// BenchmarkSQNRTable reports the SQNR (dB) of every format for Gaussian and
// Laplace weights at G = 64 and 128 as a custom metric; ns/op is the
// quantize-dequantize time of 2^20 weights.
func BenchmarkSQNRTable(b *testing.B) {
	const n = 1 << 20
	for _, dist := range []string{"gauss", "laplace"} {
		for _, g := range []int{64, 128} {
			for _, f := range TableFormats(g) {
				b.Run(fmt.Sprintf("%s/G%d/%s", dist, g, f.Name()), func(b *testing.B) {
					var db float64
					for b.Loop() {
						db = sqnrOf(b, f, dist, n)
					}
					b.ReportMetric(db, "dB")
					b.ReportMetric(f.BitsPerWeight(n), "bits/weight")
				})
			}
		}
	}
}
