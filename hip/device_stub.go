//go:build !hip || !cgo

package hip

import (
	"context"
	"fmt"

	"github.com/leanprove/leanprove/quantcore"
)

// Device runs the kernels on a GPU. This build has no GPU binding (build with -tags hip after
// `make hip`), so Open always fails with ErrNoDevice.
type Device struct{}

// Open reports ErrNoDevice: this binary was built without the `hip` tag.
func Open() (*Device, error) {
	return nil, fmt.Errorf("open GPU: %w: built without the hip tag (run `make hip`, then build with -tags hip)", ErrNoDevice)
}

// Platform names the GPU runtime this binary was built for.
func (d *Device) Platform() string { return "none" }

// GEMMInt is unavailable without the hip tag.
func (d *Device) GEMMInt(ctx context.Context, m *quantcore.Matrix, xs []quantcore.QuantizedVector, y []float32) error {
	return fmt.Errorf("GEMMInt: %w", ErrNoDevice)
}

// GEMM is unavailable without the hip tag.
func (d *Device) GEMM(ctx context.Context, m *quantcore.Matrix, xs [][]float32, y []float32) ([]quantcore.QuantizedVector, error) {
	return nil, fmt.Errorf("GEMM: %w", ErrNoDevice)
}

// Close does nothing.
func (d *Device) Close() error { return nil }
