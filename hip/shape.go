package hip

import (
	"fmt"

	"github.com/leanprove/leanprove/quantcore"
)

// MaxGroupSize is the largest group size the kernels take (their LDS staging is sized for it).
const MaxGroupSize = 256

// checkCall validates a GEMM call before it reaches C: the matrix, the batch and the lengths.
func checkCall(m *quantcore.Matrix, batch, xlen, ylen int) error {
	if m == nil {
		return fmt.Errorf("%w: nil matrix", ErrShape)
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrShape, err)
	}
	if m.GroupSize > MaxGroupSize {
		return fmt.Errorf("%w: group size %d above %d; requantize with a smaller group", ErrShape, m.GroupSize, MaxGroupSize)
	}
	if batch < 1 || batch > quantcore.MaxBatch {
		return fmt.Errorf("%w: batch %d outside 1..%d", ErrShape, batch, quantcore.MaxBatch)
	}
	if xlen != batch*m.Cols {
		return fmt.Errorf("%w: %d activations, want batch %d × cols %d", ErrShape, xlen, batch, m.Cols)
	}
	if ylen != batch*m.Rows {
		return fmt.Errorf("%w: output length %d, want batch %d × rows %d", ErrShape, ylen, batch, m.Rows)
	}
	return nil
}
