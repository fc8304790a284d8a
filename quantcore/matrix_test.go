package quantcore

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func laplaceMatrix(rng *rand.Rand, n int, b float64) []float32 {
	w := make([]float32, n)
	for i := range w {
		w[i] = float32(rng.ExpFloat64() * b * float64(1-2*rng.IntN(2)))
	}
	return w
}

// Property: for random matrices of several distributions and both clip
// modes, codes are in range, padding is zero, every in-range weight meets
// |w - dequant| ≤ s/2, and without clip search no weight is clipped.
func TestQuantizeErrorBoundProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	dists := map[string]func(n int) []float32{
		"gauss":   func(n int) []float32 { return gaussMatrix(rng, n, 0.02) },
		"laplace": func(n int) []float32 { return laplaceMatrix(rng, n, 0.01) },
		"wide": func(n int) []float32 {
			w := gaussMatrix(rng, n, 1)
			for i := range w {
				w[i] *= float32(math.Pow(10, float64(rng.IntN(10)-6))) // up to 1e3: below the fp16 scale limit
			}
			return w
		},
	}
	for dname, dist := range dists {
		for _, g := range []int{2, 8, 32, 64, 128} {
			for _, clip := range []bool{false, true} {
				rows, cols := 1+rng.IntN(5), g*(1+rng.IntN(4))
				w := dist(rows * cols)
				m, err := QuantizeMatrix(dname, w, rows, cols, Options{GroupSize: g, ClipSearch: clip})
				if err != nil {
					t.Fatal(err)
				}
				if err := m.Validate(); err != nil {
					t.Fatalf("%s G=%d clip=%v: %v", dname, g, clip, err)
				}
				clipped, err := CheckErrorBound(dname, m, w)
				if err != nil {
					t.Fatalf("G=%d clip=%v: %v", g, clip, err)
				}
				if !clip && clipped != 0 {
					t.Fatalf("%s G=%d: %d weights clipped without clip search", dname, g, clipped)
				}
				for _, q := range m.Levels() {
					if q < -MaxLevel || q > MaxLevel {
						t.Fatalf("level %d out of range", q)
					}
				}
			}
		}
	}
}

func TestQuantizeKnownGroup(t *testing.T) {
	// max |w| = 5 → s = 1 exactly; ties round away from zero.
	w := []float32{5, -5, 0.5, -0.5, 1.5, -2.5, 0.49, 4.4999}
	m, err := QuantizeMatrix("known", w, 1, 8, Options{GroupSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	if m.Scales[0] != 0x3C00 {
		t.Fatalf("scale %#04x, want 0x3C00 (1.0)", m.Scales[0])
	}
	want := []int8{5, -5, 1, -1, 2, -3, 0, 4}
	got := m.Levels()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("levels %v, want %v", got, want)
		}
	}
	if deq := m.Dequantize(); deq[5] != -3 {
		t.Fatalf("dequant %v", deq)
	}
	// The scale is rounded up: max |w| = 1 gives s = fp16 above 0.2.
	m, err = QuantizeMatrix("up", []float32{1, 0}, 1, 2, Options{GroupSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if s := F16ToFloat64(m.Scales[0]); s < 0.2 || 5*s < 1 {
		t.Fatalf("scale %g does not cover max |w| = 1", s)
	}
	if got := m.Levels(); got[0] != 5 {
		t.Fatalf("max weight got level %d, want 5", got[0])
	}
}

// Group edges: changing weights of one group never changes another group's
// scale or codes, and a weight exactly at the group maximum maps to ±5.
func TestGroupEdgeStability(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	rows, cols, g := 3, 256, 64
	w := gaussMatrix(rng, rows*cols, 0.02)
	base, err := QuantizeMatrix("w", w, rows, cols, Options{GroupSize: g})
	if err != nil {
		t.Fatal(err)
	}
	wpg := base.WordsPerGroup()
	for trial := 0; trial < 200; trial++ {
		w2 := append([]float32(nil), w...)
		gi := rng.IntN(rows * cols / g)
		edge := []int{gi * g, gi*g + g - 1}[rng.IntN(2)] // first or last weight of the group
		w2[edge] = float32(rng.NormFloat64() * 10)
		m, err := QuantizeMatrix("w", w2, rows, cols, Options{GroupSize: g})
		if err != nil {
			t.Fatal(err)
		}
		for other := 0; other < rows*cols/g; other++ {
			if other == gi {
				continue
			}
			if m.Scales[other] != base.Scales[other] {
				t.Fatalf("changing group %d changed the scale of group %d", gi, other)
			}
			for k := 0; k < wpg; k++ {
				if m.Words[other*wpg+k] != base.Words[other*wpg+k] {
					t.Fatalf("changing group %d changed the words of group %d", gi, other)
				}
			}
		}
		if lv := m.Levels(); math.Abs(float64(w2[edge])) == float64(maxAbs(w2[gi*g:(gi+1)*g])) && int(math.Abs(float64(lv[edge]))) != MaxLevel {
			t.Fatalf("group max %g got level %d, want ±5", w2[edge], lv[edge])
		}
	}
}

func TestQuantizeAllZeroAndTiny(t *testing.T) {
	w := make([]float32, 128)
	w[100] = math.SmallestNonzeroFloat32
	m, err := QuantizeMatrix("z", w, 2, 64, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Scales[0] != 0 {
		t.Errorf("all-zero group has scale %#04x, want 0", m.Scales[0])
	}
	if m.Scales[1] != 1 {
		t.Errorf("denormal group has scale %#04x, want the smallest fp16 subnormal", m.Scales[1])
	}
	for i, v := range m.Dequantize() {
		if v != 0 {
			t.Fatalf("dequant[%d] = %g, want 0", i, v)
		}
	}
	if _, err := CheckErrorBound("z", m, w); err != nil {
		t.Fatal(err)
	}
}

func TestQuantizeRejectsBadInput(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	big := float32(5*F16MaxFinite) * 1.001
	tests := []struct {
		name       string
		w          []float32
		rows, cols int
		g          int
		want       error
		mention    string
	}{
		{"nan", []float32{1, 2, nan, 4}, 2, 2, 2, ErrNonFinite, "row 1, column 0"},
		{"inf", []float32{1, inf}, 1, 2, 2, ErrNonFinite, "row 0, column 1"},
		{"minus inf", []float32{float32(math.Inf(-1)), 0}, 1, 2, 2, ErrNonFinite, "row 0, column 0"},
		{"group does not divide", make([]float32, 96), 1, 96, 64, ErrGroupSize, "does not divide the row length 96"},
		{"odd group", make([]float32, 6), 1, 6, 3, ErrGroupSize, "even"},
		{"length mismatch", make([]float32, 10), 2, 64, 64, ErrShape, "10 values for a 2×64 matrix"},
		{"empty", nil, 0, 64, 64, ErrShape, "no weights"},
		{"scale overflow", []float32{big, 0}, 1, 2, 2, ErrScaleOverflow, "row 0, group 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := QuantizeMatrix("layers.0.wq", tt.w, tt.rows, tt.cols, Options{GroupSize: tt.g})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), `"layers.0.wq"`) || !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("error %q should name the tensor and %q", err, tt.mention)
			}
		})
	}
}

func TestClipSearchNeverWorse(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	w := laplaceMatrix(rng, 64*256, 0.01)
	plain, err := QuantizeMatrix("w", w, 64, 256, Options{})
	if err != nil {
		t.Fatal(err)
	}
	clip, err := QuantizeMatrix("w", w, 64, 256, Options{ClipSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	// Per group the search includes the absmax scale, so the squared error
	// can only go down.
	pd, cd := plain.Dequantize(), clip.Dequantize()
	for gi := 0; gi < len(plain.Scales); gi++ {
		var pe, ce float64
		for i := gi * 64; i < (gi+1)*64; i++ {
			pe += math.Pow(float64(w[i]-pd[i]), 2)
			ce += math.Pow(float64(w[i]-cd[i]), 2)
		}
		if ce > pe {
			t.Fatalf("group %d: clip search error %g above absmax error %g", gi, ce, pe)
		}
	}
	if MeasureError(w, cd).SQNR() <= MeasureError(w, pd).SQNR() {
		t.Errorf("clip search did not improve SQNR on Laplace weights")
	}
}

func TestValidateRejectsCorruptMatrix(t *testing.T) {
	m, err := QuantizeMatrix("w", make([]float32, 64), 1, 64, Options{})
	if err != nil {
		t.Fatal(err)
	}
	bad := *m
	bad.Words = append([]uint32(nil), m.Words...)
	bad.Words[0] |= 0x7F // code 0 becomes 127
	if err := bad.Validate(); !errors.Is(err, ErrCode) {
		t.Errorf("code 127: err = %v, want ErrCode", err)
	}
	bad.Words = m.Words[:6]
	if err := bad.Validate(); !errors.Is(err, ErrShape) {
		t.Errorf("short words: err = %v, want ErrShape", err)
	}
	m32, _ := QuantizeMatrix("w", make([]float32, 32), 1, 32, Options{GroupSize: 32})
	m32.Words[3] |= 1 << 31 // padding bit (112 bits used of 128)
	if err := m32.Validate(); !errors.Is(err, ErrCode) {
		t.Errorf("padding bit: err = %v, want ErrCode", err)
	}
}

func TestRoundHalfAwayMatchesMathRound(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	for i := 0; i < 200000; i++ {
		x := (rng.Float64()*2 - 1) * 20
		switch i % 4 {
		case 1:
			x = float64(rng.IntN(41)-20) + 0.5 // exact ties
		case 2:
			x = math.Nextafter(float64(rng.IntN(41)-20)+0.5, math.Inf(int(rng.IntN(2)*2-1)))
		case 3:
			x = float64(rng.IntN(41) - 20)
		}
		if got, want := roundHalfAway(x), int(math.Round(x)); got != want {
			t.Fatalf("roundHalfAway(%v) = %d, math.Round = %d", x, got, want)
		}
	}
}

// The clip search picks exactly the scale the documented rule picks,
// written here with the exported per-weight functions.
func TestClipSearchMatchesDocumentedRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	w := laplaceMatrix(rng, 64*64, 0.01)
	m, err := QuantizeMatrix("w", w, 64, 64, Options{ClipSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	for gi := range m.Scales {
		group := w[gi*64 : (gi+1)*64]
		var mx float64
		for _, v := range group {
			mx = math.Max(mx, math.Abs(float64(v)))
		}
		best, bestErr := uint16(0), math.Inf(1)
		for k := 0; k <= 20; k++ {
			s, ok := F16RoundUp(mx * (1 - float64(k)/40) / 5)
			if !ok || s == 0 {
				continue
			}
			var e float64
			for _, v := range group {
				d := float64(v) - float64(DequantizeLevel(QuantizeLevel(v, s), s))
				e += d * d
			}
			if e < bestErr {
				best, bestErr = s, e
			}
		}
		if m.Scales[gi] != best {
			t.Fatalf("group %d: scale %#04x, documented rule gives %#04x", gi, m.Scales[gi], best)
		}
	}
}
