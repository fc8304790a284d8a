//go:build hip && cgo

package hip

// The binding links hip/build/libq35hip.a, which `make hip` (hip/build.sh) builds with hipcc
// for gfx90a, gfx908 and gfx940, and Debian's libamdhip64.

/*
#cgo CFLAGS: -I${SRCDIR}/kernels
#cgo LDFLAGS: -L${SRCDIR}/build -lq35hip -lamdhip64 -lstdc++ -lm
#include <stdlib.h>
#include "q35_api.h"
*/
import "C"

import (
	"context"
	"fmt"
	"unsafe"

	"github.com/leanprove/leanprove/quantcore"
)

// Device runs the kernels on the first GPU the HIP runtime sees. Calls are synchronous: each
// copies the operands to the device, runs the kernel and copies the result back.
type Device struct {
	platform string
}

// Open checks that a GPU is visible; ErrNoDevice when none is.
func Open() (*Device, error) {
	var msg [512]C.char
	n := C.q35_device_count(&msg[0], C.size_t(len(msg)))
	platform := C.GoString(C.q35_platform_name())
	if n <= 0 {
		detail := C.GoString(&msg[0])
		if detail == "" {
			detail = "0 devices"
		}
		return nil, fmt.Errorf("open %s GPU: %w: %s", platform, ErrNoDevice, detail)
	}
	return &Device{platform: platform}, nil
}

// Platform names the GPU runtime ("hip" or "cuda").
func (d *Device) Platform() string { return d.platform }

func status(op string, rc C.int, msg []C.char) error {
	switch rc {
	case C.Q35_OK:
		return nil
	case C.Q35_ERR_NODEVICE:
		return fmt.Errorf("%s: %w: %s", op, ErrNoDevice, C.GoString(&msg[0]))
	case C.Q35_ERR_ARG:
		return fmt.Errorf("%s: %w: %s", op, ErrShape, C.GoString(&msg[0]))
	default:
		return fmt.Errorf("%s: %w: %s", op, ErrRuntime, C.GoString(&msg[0]))
	}
}

// GEMMInt computes y (batch × rows) from already quantized activations, bit for bit the
// quantcore.GEMMInt result. The context is checked before the call; a running kernel is not
// interrupted.
func (d *Device) GEMMInt(ctx context.Context, m *quantcore.Matrix, xs []quantcore.QuantizedVector, y []float32) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("GEMMInt: %w", err)
	}
	xq := make([]int8, 0, len(xs)*max(m.Cols, 0))
	sx := make([]float32, len(xs))
	for b, x := range xs {
		xq = append(xq, x.Q...)
		sx[b] = x.Scale
	}
	if err := checkCall(m, len(xs), len(xq), len(y)); err != nil {
		return fmt.Errorf("GEMMInt: %w", err)
	}
	var msg [512]C.char
	rc := C.q35_gemm_i8((*C.uint32_t)(unsafe.Pointer(&m.Words[0])), (*C.uint16_t)(unsafe.Pointer(&m.Scales[0])),
		C.int(m.Rows), C.int(m.Cols), C.int(m.GroupSize),
		(*C.int8_t)(unsafe.Pointer(&xq[0])), (*C.float)(unsafe.Pointer(&sx[0])), C.int(len(xs)),
		(*C.float)(unsafe.Pointer(&y[0])), &msg[0], C.size_t(len(msg)))
	return status("GEMMInt", rc, msg[:])
}

// GEMM quantizes float activations on the device (quantcore.QuantizeActivations' rule) and
// computes y; it returns the device's quantized activations.
func (d *Device) GEMM(ctx context.Context, m *quantcore.Matrix, xs [][]float32, y []float32) ([]quantcore.QuantizedVector, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("GEMM: %w", err)
	}
	x := make([]float32, 0, len(xs)*max(m.Cols, 0))
	for _, v := range xs {
		x = append(x, v...)
	}
	if err := checkCall(m, len(xs), len(x), len(y)); err != nil {
		return nil, fmt.Errorf("GEMM: %w", err)
	}
	xq := make([]int8, len(x))
	sx := make([]float32, len(xs))
	var msg [512]C.char
	rc := C.q35_gemm_f32((*C.uint32_t)(unsafe.Pointer(&m.Words[0])), (*C.uint16_t)(unsafe.Pointer(&m.Scales[0])),
		C.int(m.Rows), C.int(m.Cols), C.int(m.GroupSize),
		(*C.float)(unsafe.Pointer(&x[0])), C.int(len(xs)), (*C.float)(unsafe.Pointer(&y[0])),
		(*C.int8_t)(unsafe.Pointer(&xq[0])), (*C.float)(unsafe.Pointer(&sx[0])), &msg[0], C.size_t(len(msg)))
	if err := status("GEMM", rc, msg[:]); err != nil {
		return nil, err
	}
	out := make([]quantcore.QuantizedVector, len(xs))
	for b := range out {
		out[b] = quantcore.QuantizedVector{Q: xq[b*m.Cols : (b+1)*m.Cols], Scale: sx[b]}
	}
	return out, nil
}

// Close releases nothing today (every call frees its device memory); it keeps the API stable.
func (d *Device) Close() error { return nil }
