package quantcore

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GenerateVectors builds the standard kernel test vectors, deterministically
// from seed: G = 64 and 128 (and one G = 32 case with padding bits), row
// counts that are not multiples of 64, rows with more than 64 groups (so lanes
// wrap), batch 1 to 32, all-zero groups and rows, the largest fp16 scale,
// subnormal scales, exact rounding ties and extreme activations.
func GenerateVectors(seed uint64) ([]VectorCase, error) {
	rng := rand.New(rand.NewPCG(seed, 0x51355))
	gauss := func(n int, sigma float64) []float32 {
		w := make([]float32, n)
		for i := range w {
			w[i] = float32(rng.NormFloat64() * sigma)
		}
		return w
	}
	acts := func(batch, cols int) [][]float32 {
		xs := make([][]float32, batch)
		for b := range xs {
			xs[b] = gauss(cols, 1)
		}
		return xs
	}
	type spec struct {
		name              string
		rows, cols, group int
		batch             int
		weights           func(rows, cols int) []float32
		xs                func(batch, cols int) [][]float32
	}
	plain := func(rows, cols int) []float32 { return gauss(rows*cols, 0.02) }
	specs := []spec{
		{"g64_r1_c64_b1", 1, 64, 64, 1, plain, acts},
		{"g64_r37_c256_b1", 37, 256, 64, 1, plain, acts},
		{"g128_r65_c512_b4", 65, 512, 128, 4, plain, acts},
		{"g64_r100_c4480_b32", 100, 4480, 64, 32, plain, acts}, // 70 groups per row: lanes wrap
		{"g128_r33_c16512_b2", 33, 16512, 128, 2, plain, acts}, // 129 groups per row
		{"g64_r63_c1024_b7", 63, 1024, 64, 7, plain, acts},     //
		{"g32_r3_c96_b2", 3, 96, 32, 2, plain, acts},           // W = 4 with 16 padding bits
		{"g64_zero_groups_r9_c320_b3", 9, 320, 64, 3, zeroGroups, acts},
		{"g128_extreme_r6_c256_b5", 6, 256, 128, 5, extremeWeights, extremeActs},
		{"g64_extreme_r6_c128_b5", 6, 128, 64, 5, extremeWeights, extremeActs},
	}
	var cases []VectorCase
	for _, s := range specs {
		w := s.weights(s.rows, s.cols)
		m, err := QuantizeMatrix(s.name, w, s.rows, s.cols, Options{GroupSize: s.group})
		if err != nil {
			return nil, fmt.Errorf("generate %s: %w", s.name, err)
		}
		c, err := NewVectorCase(s.name, m, s.xs(s.batch, s.cols))
		if err != nil {
			return nil, fmt.Errorf("generate %s: %w", s.name, err)
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// zeroGroups: every third group is all zero, row 4 is entirely zero, and the
// rest alternates signs so that accumulators cancel.
func zeroGroups(rows, cols int) []float32 {
	w := make([]float32, rows*cols)
	for i := range w {
		r, c := i/cols, i%cols
		if r == 4 || (c/64)%3 == 0 {
			continue
		}
		w[i] = float32((i%11)-5) * 0.01
	}
	return w
}

// extremeWeights: per row, one kind of extreme group layout.
func extremeWeights(rows, cols int) []float32 {
	w := make([]float32, rows*cols)
	for r := 0; r < rows; r++ {
		row := w[r*cols : (r+1)*cols]
		for c := range row {
			switch r {
			case 0: // largest representable scale: max |w| = 5 × 65504
				row[c] = float32(5*F16MaxFinite) * float32((c%11)-5) / 5
			case 1: // subnormal fp16 scales
				row[c] = float32((c%11)-5) * 3e-7
			case 2: // exact ties: w = (k + 0.5)·s with s = 1 (max |w| = 5)
				if c%2 == 0 {
					row[c] = 5
				} else {
					row[c] = float32(c%10)/2 - 2.25
				}
			case 3: // one spike per group, the rest tiny: levels mostly 0
				if c%17 == 0 {
					row[c] = -1000
				} else {
					row[c] = 1e-3
				}
			case 4: // all levels ±5 of alternating sign
				row[c] = float32(1 - 2*(c%2))
			default: // float32 denormals and zero mixed with ordinary values
				row[c] = [...]float32{0, math.SmallestNonzeroFloat32, -1e-40, 0.5}[c%4]
			}
		}
	}
	return w
}

// extremeActs: all-zero, a single spike, huge (the output overflows to
// ±Inf, which must match too), tiny, and exact activation ties.
func extremeActs(batch, cols int) [][]float32 {
	xs := make([][]float32, batch)
	for b := range xs {
		x := make([]float32, cols)
		for i := range x {
			switch b {
			case 0: // all zero: sx = 0
			case 1:
				if i == cols-1 {
					x[i] = -7
				}
			case 2:
				x[i] = math.MaxFloat32 * float32(1-2*(i%2)) / float32(1+i%3)
			case 3:
				x[i] = 1e-38 * float32(i%5)
			default:
				x[i] = float32(i%255-127) + 0.5
			}
		}
		xs[b] = x
	}
	return xs
}
