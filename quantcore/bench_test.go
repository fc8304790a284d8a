package quantcore

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// loopCPU runs body under b.Loop and reports CPU ns per op next to wall time.
func loopCPU(b *testing.B, body func()) {
	start, ok := processCPUTime()
	for b.Loop() {
		body()
	}
	if end, ok2 := processCPUTime(); ok && ok2 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

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
				loopCPU(b, func() {
					qv, err := QuantizeActivations(x)
					if err != nil {
						b.Fatal(err)
					}
					if err := GEMVIntFast(m, qv, y); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
		if sh.rows == 4096 {
			m, err := QuantizeMatrix("w", w, sh.rows, sh.cols, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("q35ref/%dx%d/G64", sh.rows, sh.cols), func(b *testing.B) {
				b.SetBytes(int64(4*len(m.Words) + 2*len(m.Scales)))
				loopCPU(b, func() {
					qv, err := QuantizeActivations(x)
					if err != nil {
						b.Fatal(err)
					}
					if err := GEMVInt(m, qv, y); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
		b.Run(fmt.Sprintf("f32/%dx%d", sh.rows, sh.cols), func(b *testing.B) {
			b.SetBytes(int64(4 * len(w)))
			loopCPU(b, func() { gemvF32(w, sh.rows, sh.cols, x, y) })
		})
	}
}

// BenchmarkQuantize compares quantizing a 4096×4096 float32 matrix with a
// plain copy of the same 64 MiB (SetBytes is the float32 input size for
// both, so MB/s compare directly).
func BenchmarkQuantize(b *testing.B) {
	const rows, cols = 4096, 4096
	rng := rand.New(rand.NewPCG(1, 2))
	w := gaussMatrix(rng, rows*cols, 0.02)
	b.Run("memcpy", func(b *testing.B) {
		dst := make([]float32, len(w))
		b.SetBytes(int64(4 * len(w)))
		loopCPU(b, func() { copy(dst, w) })
	})
	for _, opt := range []Options{{GroupSize: 64}, {GroupSize: 128}, {GroupSize: 64, ClipSearch: true}} {
		b.Run(fmt.Sprintf("q35/G%d/clip=%v", opt.GroupSize, opt.ClipSearch), func(b *testing.B) {
			b.SetBytes(int64(4 * len(w)))
			loopCPU(b, func() {
				if _, err := QuantizeMatrix("w", w, rows, cols, opt); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkGEMM is the batched form (batch 8 and 32) through the fast path.
func BenchmarkGEMM(b *testing.B) {
	const rows, cols = 4096, 4096
	rng := rand.New(rand.NewPCG(1, 2))
	m, err := QuantizeMatrix("w", gaussMatrix(rng, rows*cols, 0.02), rows, cols, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{8, 32} {
		xs := make([]QuantizedVector, batch)
		for i := range xs {
			xs[i], _ = QuantizeActivations(gaussMatrix(rng, cols, 1))
		}
		y := make([]float32, batch*rows)
		b.Run(fmt.Sprintf("q35fast/batch%d", batch), func(b *testing.B) {
			loopCPU(b, func() {
				if err := GEMMIntFast(m, xs, y); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
