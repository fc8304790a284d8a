package quantcore

import (
	"math"
	"math/rand/v2"
	"testing"
)

func gaussMatrix(rng *rand.Rand, n int, sigma float64) []float32 {
	w := make([]float32, n)
	for i := range w {
		w[i] = float32(rng.NormFloat64() * sigma)
	}
	return w
}

// The fast GEMV must be bit-identical to the reference for every shape the
// format allows, including G not a multiple of 64 and lane wrap-around.
func TestGEMVIntFastMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := []struct{ rows, cols, g int }{
		{1, 64, 64}, {5, 128, 64}, {37, 4480, 64}, {9, 16512, 128}, {3, 96, 32}, {4, 12, 6}, {2, 384, 192},
	}
	for _, sh := range shapes {
		w := gaussMatrix(rng, sh.rows*sh.cols, 0.05)
		m, err := QuantizeMatrix("w", w, sh.rows, sh.cols, Options{GroupSize: sh.g})
		if err != nil {
			t.Fatal(err)
		}
		xs := make([]QuantizedVector, 1+rng.IntN(MaxBatch))
		for b := range xs {
			xs[b], err = QuantizeActivations(gaussMatrix(rng, sh.cols, 1))
			if err != nil {
				t.Fatal(err)
			}
		}
		ref := make([]float32, len(xs)*sh.rows)
		fast := make([]float32, len(xs)*sh.rows)
		if err := GEMMInt(m, xs, ref); err != nil {
			t.Fatal(err)
		}
		if err := GEMMIntFast(m, xs, fast); err != nil {
			t.Fatal(err)
		}
		one := make([]float32, sh.rows)
		if err := GEMVIntFast(m, xs[0], one); err != nil {
			t.Fatal(err)
		}
		for i := range one {
			if math.Float32bits(one[i]) != math.Float32bits(ref[i]) {
				t.Fatalf("%d×%d G=%d: GEMV y[%d] fast %v, reference %v", sh.rows, sh.cols, sh.g, i, one[i], ref[i])
			}
		}
		for i := range ref {
			if math.Float32bits(ref[i]) != math.Float32bits(fast[i]) {
				t.Fatalf("%d×%d G=%d: y[%d] fast %v, reference %v", sh.rows, sh.cols, sh.g, i, fast[i], ref[i])
			}
		}
	}
}

// The integer GEMV stays close to the float64 reference of the same
// dequantized weights: the only differences are activation quantization
// (|x - sx*xq| ≤ sx/2) and float32 rounding.
func TestGEMVIntCloseToFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	rows, cols := 16, 1024
	m, err := QuantizeMatrix("w", gaussMatrix(rng, rows*cols, 0.02), rows, cols, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := gaussMatrix(rng, cols, 1)
	qv, err := QuantizeActivations(x)
	if err != nil {
		t.Fatal(err)
	}
	yi := make([]float32, rows)
	if err := GEMVInt(m, qv, yi); err != nil {
		t.Fatal(err)
	}
	yf, err := GEMVFloat(m, x)
	if err != nil {
		t.Fatal(err)
	}
	w := m.Dequantize()
	for r := range yi {
		// Bound: Σ|w_i|·sx/2 for activation rounding, plus a generous float32 term.
		var sumAbs, sumAbsWX float64
		for i := 0; i < cols; i++ {
			sumAbs += math.Abs(float64(w[r*cols+i]))
			sumAbsWX += math.Abs(float64(w[r*cols+i]) * float64(x[i]))
		}
		bound := sumAbs*float64(qv.Scale)/2 + 1e-5*sumAbsWX + 1e-6
		if d := math.Abs(float64(yi[r]) - yf[r]); d > bound {
			t.Errorf("row %d: |int - float| = %g above the bound %g", r, d, bound)
		}
	}
}

func TestReduceLanesOrder(t *testing.T) {
	// With 65 partials, lane 0 sums partial 0 and 64; check against an
	// explicit butterfly over 64 lanes as the spec writes it.
	p := make([]float32, 130)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range p {
		p[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(8))))
	}
	var v [64]float32
	for g := range p {
		v[g%64] += p[g]
	}
	for off := 32; off >= 1; off /= 2 {
		var nv [64]float32
		for l := range v {
			nv[l] = v[l] + v[l^off]
		}
		v = nv
	}
	if got := reduceLanes(p); math.Float32bits(got) != math.Float32bits(v[0]) {
		t.Fatalf("reduceLanes = %v, full butterfly = %v", got, v[0])
	}
}

func TestQuantizeActivations(t *testing.T) {
	tests := []struct {
		name  string
		x     []float32
		scale float32
		q     []int8
	}{
		{"zero", []float32{0, 0}, 0, []int8{0, 0}},
		{"max maps to 127", []float32{-2.54, 1.27, 0.005}, float32(2.54) / 127, []int8{-127, 64, 0}},
		{"tie rounds away from zero", []float32{127, 0.5, -0.5, 1.5}, 1, []int8{127, 1, -1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qv, err := QuantizeActivations(tt.x)
			if err != nil {
				t.Fatal(err)
			}
			if qv.Scale != tt.scale {
				t.Errorf("scale %v, want %v", qv.Scale, tt.scale)
			}
			for i := range tt.q {
				if qv.Q[i] != tt.q[i] {
					t.Errorf("q = %v, want %v", qv.Q, tt.q)
					break
				}
			}
		})
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		if _, err := QuantizeActivations([]float32{1, bad}); err == nil {
			t.Errorf("QuantizeActivations accepted %v", bad)
		}
	}
}
