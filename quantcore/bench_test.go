package quantcore

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// gemvF32 is a plain float32 GEMV with four accumulators per row: the
// baseline the packed GEMV is compared against (same shape, 4 bytes/weight).
func gemvF32(w []float32, rows, cols int, x, y []float32) {
	for r := 0; r < rows; r++ {
		row := w[r*cols : (r+1)*cols]
		var s0, s1, s2, s3 float32
		i := 0
		for ; i+4 <= len(row); i += 4 {
			s0 += row[i] * x[i]
			s1 += row[i+1] * x[i+1]
			s2 += row[i+2] * x[i+2]
			s3 += row[i+3] * x[i+3]
		}
		for ; i < len(row); i++ {
			s0 += row[i] * x[i]
		}
		y[r] = (s0 + s1) + (s2 + s3)
	}
}

var gemvShapes = []struct{ rows, cols int }{{4096, 4096}, {11008, 4096}}

// BenchmarkGEMV compares, on one shape and in one run: float32 GEMV, the
// fast packed GEMV (activation quantization and tables included) and the
// plain reference. SetBytes is the weight bytes each one reads.
func BenchmarkGEMV(b *testing.B) {
	for _, sh := range gemvShapes {
		rng := rand.New(rand.NewPCG(1, 2))
		w := gaussMatrix(rng, sh.rows*sh.cols, 0.02)
		x := gaussMatrix(rng, sh.cols, 1)
		y := make([]float32, sh.rows)
		for _, g := range []int{64, 128} {
			m, err := QuantizeMatrix("w", w, sh.rows, sh.cols, Options{GroupSize: g})
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("q35fast/%dx%d/G%d", sh.rows, sh.cols, g), func(b *testing.B) {
				b.SetBytes(int64(4*len(m.Words) + 2*len(m.Scales)))
				for b.Loop() {
					qv, err := QuantizeActivations(x)
					if err != nil {
						b.Fatal(err)
					}
					if err := GEMVIntFast(m, qv, y); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("f32/%dx%d", sh.rows, sh.cols), func(b *testing.B) {
			b.SetBytes(int64(4 * len(w)))
			for b.Loop() {
				gemvF32(w, sh.rows, sh.cols, x, y)
			}
		})
	}
}
