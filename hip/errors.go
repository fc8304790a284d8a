package hip

import "errors"

// Sentinel errors; every error of this package wraps one of them and says what to do.
var (
	// ErrNoDevice: no GPU is visible, or the package was built without the `hip` tag.
	ErrNoDevice = errors.New("no GPU device")
	// ErrShape: a matrix, batch or activation length the kernels do not take.
	ErrShape = errors.New("unsupported shape")
	// ErrRuntime: the GPU runtime failed (allocation, copy, launch).
	ErrRuntime = errors.New("GPU runtime error")
	// ErrNoCompiler: the C++ compiler for the CPU emulation is not installed.
	ErrNoCompiler = errors.New("C++ compiler not found")
	// ErrEmulator: the CPU emulation program failed or wrote output of the wrong size.
	ErrEmulator = errors.New("CPU emulation failed")
)
