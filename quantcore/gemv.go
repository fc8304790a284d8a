package quantcore

import (
	"fmt"
	"math"
)

// Reference GEMV/GEMM in the integer-accumulate form of the package
// documentation. These are the bit-exact references for the kernel.

const (
	// Lanes is L, the number of lanes in the fixed reduction order.
	Lanes = 64
	// MaxBatch is the largest batch GEMMInt accepts.
	MaxBatch = 32
	// ActMax is the largest int8 activation level magnitude.
	ActMax = 127
)

// QuantizedVector is an activation vector quantized to int8 with one float32 scale.
type QuantizedVector struct {
	Q     []int8
	Scale float32
}

// QuantizeActivations quantizes x as the package documentation specifies:
// sx = max|x| / 127 (float32), xq[i] = clamp(roundHalfAwayFromZero(x[i]/sx), ±127).
func QuantizeActivations(x []float32) (QuantizedVector, error) {
	var mx float32
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return QuantizedVector{}, fmt.Errorf("activation %d: %w: %v", i, ErrNonFinite, v)
		}
		mx = max(mx, float32(math.Abs(float64(v))))
	}
	qv := QuantizedVector{Q: make([]int8, len(x)), Scale: mx / ActMax}
	if qv.Scale == 0 {
		return qv, nil
	}
	for i, v := range x {
		// v/sx is a float32 division; |v/sx| ≤ 127·(1+ε) unless sx is subnormal,
		// and it is at most MaxFloat32 < 2^128, so clamp in float first.
		r := math.Round(float64(v / qv.Scale))
		qv.Q[i] = int8(max(-ActMax, min(ActMax, r)))
	}
	return qv, nil
}

// reduceLanes applies the fixed reduction order to the per-group partials of
// one row: lane sums in increasing g, then the butterfly; returns v[0].
func reduceLanes(partials []float32) float32 {
	var v [Lanes]float32
	for g, p := range partials {
		v[g%Lanes] += p
	}
	// The butterfly v[l] = v[l] + v[l^off] leaves v[l] == v[l^off] (IEEE
	// addition is commutative), so for v[0] it is a pairwise tree over the
	// lower half at each step.
	for off := Lanes / 2; off >= 1; off /= 2 {
		for l := 0; l < off; l++ {
			v[l] = v[l] + v[l+off]
		}
	}
	return v[0]
}

func checkGEMV(m *Matrix, cols, outLen, want int) error {
	if cols != m.Cols {
		return fmt.Errorf("%w: activation length %d, matrix has %d columns", ErrShape, cols, m.Cols)
	}
	if outLen != want {
		return fmt.Errorf("%w: output length %d, want %d", ErrShape, outLen, want)
	}
	return nil
}

// GEMVInt computes y = W·x in the integer-accumulate form with the fixed
// reduction order. It is the plain, bit-exact reference (not fast).
func GEMVInt(m *Matrix, x QuantizedVector, y []float32) error {
	if err := checkGEMV(m, len(x.Q), len(y), m.Rows); err != nil {
		return err
	}
	gpr := m.GroupsPerRow()
	levels := make([]int8, m.GroupSize)
	partials := make([]float32, gpr)
	for r := 0; r < m.Rows; r++ {
		for g := 0; g < gpr; g++ {
			gi := r*gpr + g
			m.LevelsOfGroup(levels, gi)
			var acc int32
			for i, q := range levels {
				acc += int32(q) * int32(x.Q[g*m.GroupSize+i])
			}
			partials[g] = float32(acc) * F16ToFloat32(m.Scales[gi])
		}
		y[r] = reduceLanes(partials) * x.Scale
	}
	return nil
}

// GEMMInt computes Y = X·Wᵀ for a batch of 1..MaxBatch quantized vectors:
// Y[b*Rows + r] is exactly GEMVInt of xs[b].
func GEMMInt(m *Matrix, xs []QuantizedVector, y []float32) error {
	if len(xs) < 1 || len(xs) > MaxBatch {
		return fmt.Errorf("%w: batch %d outside 1..%d", ErrBatch, len(xs), MaxBatch)
	}
	if len(y) != len(xs)*m.Rows {
		return fmt.Errorf("%w: output length %d, want %d×%d", ErrShape, len(y), len(xs), m.Rows)
	}
	for b, x := range xs {
		if err := GEMVInt(m, x, y[b*m.Rows:(b+1)*m.Rows]); err != nil {
			return fmt.Errorf("batch column %d: %w", b, err)
		}
	}
	return nil
}

// GEMVFloat is the float64 reference y[r] = Σ dequant(w[r][i]) * x[i], for
// error measurements only.
func GEMVFloat(m *Matrix, x []float32) ([]float64, error) {
	y := make([]float64, m.Rows)
	if err := checkGEMV(m, len(x), len(y), m.Rows); err != nil {
		return nil, err
	}
	w := m.Dequantize()
	for r := range y {
		var s float64
		for i, xi := range x {
			s += float64(w[r*m.Cols+i]) * float64(xi)
		}
		y[r] = s
	}
	return y, nil
}
