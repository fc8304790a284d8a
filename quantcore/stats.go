package quantcore

import (
	"fmt"
	"math"
)

// ErrorStats accumulates quantization error over any number of weights;
// Add merges tensors into totals.
type ErrorStats struct {
	N int
	// Signal is Σ w², Noise is Σ (w - ŵ)², both in float64.
	Signal, Noise float64
	// MaxAbs is max |w - ŵ|.
	MaxAbs float64
}

// MeasureError compares weights w with their reconstruction wq.
func MeasureError(w, wq []float32) ErrorStats {
	var s ErrorStats
	s.N = len(w)
	for i, v := range w {
		d := float64(v) - float64(wq[i])
		s.Signal += float64(v) * float64(v)
		s.Noise += d * d
		s.MaxAbs = max(s.MaxAbs, math.Abs(d))
	}
	return s
}

// Add merges o into s.
func (s *ErrorStats) Add(o ErrorStats) {
	s.N += o.N
	s.Signal += o.Signal
	s.Noise += o.Noise
	s.MaxAbs = max(s.MaxAbs, o.MaxAbs)
}

// SQNR is 10·log10(Σw² / Σ(w-ŵ)²) in dB (+Inf when the error is zero).
func (s ErrorStats) SQNR() float64 {
	if s.Noise == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(s.Signal/s.Noise)
}

// RelMSE is Σ(w-ŵ)² / Σw² (0 for an all-zero tensor reconstructed exactly).
func (s ErrorStats) RelMSE() float64 {
	if s.Noise == 0 {
		return 0
	}
	return s.Noise / s.Signal
}

// MSE is the mean squared error.
func (s ErrorStats) MSE() float64 {
	if s.N == 0 {
		return 0
	}
	return s.Noise / float64(s.N)
}

// CheckErrorBound verifies the per-weight bound the theorems state: every
// weight inside its group's clip range (|w| ≤ 5s) satisfies
// |w − dequant(quant(w))| ≤ s/2, and every weight outside it (possible only
// with clip search) got level ±5 of its sign. It returns the number of
// weights outside the clip range, and an error naming the first violation.
func CheckErrorBound(name string, m *Matrix, w []float32) (clipped int, err error) {
	if len(w) != m.Rows*m.Cols {
		return 0, fmt.Errorf("tensor %q: %w: %d weights for a %d×%d matrix", name, ErrShape, len(w), m.Rows, m.Cols)
	}
	levels := m.Levels()
	for i, v := range w {
		gi := i / m.GroupSize
		s := F16ToFloat64(m.Scales[gi])
		deq := float64(DequantizeLevel(levels[i], m.Scales[gi]))
		wv := float64(v)
		if math.Abs(wv) <= MaxLevel*s {
			if d := math.Abs(wv - deq); d > s/2 {
				return clipped, fmt.Errorf("tensor %q: row %d, column %d: |w - dequant| = %g exceeds scale/2 = %g (w = %g, level %d)",
					name, i/m.Cols, i%m.Cols, d, s/2, wv, levels[i])
			}
			continue
		}
		clipped++
		if want := int8(MaxLevel) * int8(math.Copysign(1, wv)); levels[i] != want {
			return clipped, fmt.Errorf("tensor %q: row %d, column %d: w = %g is outside the clip range ±%g but has level %d, want %d",
				name, i/m.Cols, i%m.Cols, wv, MaxLevel*s, levels[i], want)
		}
	}
	return clipped, nil
}
