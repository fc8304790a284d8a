package hip

import (
	"bytes"
	"context"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/leanprove/leanprove/quantcore"
)

// The kernel sources travel inside the Go binary, so the emulation can be built from anywhere.
//
//go:embed kernels/*.h kernels/*.hip kernels/*.cpp emu/*.cpp benchmark/*.cpp
var sources embed.FS

// Emulator is the CPU emulation of the kernels: the unchanged kernel sources compiled as C++20
// with kernels/q35_cpu_emu.h (one thread per work item, a barrier for __syncthreads, shuffles
// through a per-block buffer), driven by emu/q35_emu_main.cpp.
type Emulator struct {
	path string
	wave int
}

// Wave is the emulated hardware wavefront width: 64 runs the gfx90a code path (all butterfly
// steps are shuffles), 32 the NVIDIA one (the xor-32 step goes through shared memory).
func (e *Emulator) Wave() int { return e.wave }

// DefaultCompilers are tried in order when BuildEmulator gets no compiler: g++, then the
// clang++ that Debian's hipcc installs.
var DefaultCompilers = []string{"g++", "clang++", "clang++-15"}

// BuildEmulator compiles the emulation with the C++ compiler cxx (the first of
// DefaultCompilers found when empty) into dir, for an emulated wavefront of wave lanes (32 or
// 64). ErrNoCompiler when no compiler is installed.
func BuildEmulator(ctx context.Context, cxx, dir string, wave int) (*Emulator, error) {
	if wave != 32 && wave != 64 {
		return nil, fmt.Errorf("build emulator: wavefront %d: want 32 or 64", wave)
	}
	candidates := DefaultCompilers
	if cxx != "" {
		candidates = []string{cxx}
	}
	var compiler string
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			compiler, cxx = p, c
			break
		}
	}
	if compiler == "" {
		return nil, fmt.Errorf("build emulator: %w: tried %v (install g++ 10 or newer, for C++20 <barrier>)", ErrNoCompiler, candidates)
	}
	src := filepath.Join(dir, "src")
	if err := writeSources(src); err != nil {
		return nil, fmt.Errorf("build emulator: %w", err)
	}
	bin := filepath.Join(dir, "q35emu-w"+strconv.Itoa(wave))
	args := []string{
		"-std=c++20", "-O2", "-pthread", "-ffp-contract=off", "-fno-strict-aliasing",
		"-Wall", "-Wno-unknown-pragmas", "-DQ35_CPU_EMULATION", "-DQ35_EMU_WAVE=" + strconv.Itoa(wave),
		"-I" + filepath.Join(src, "kernels"),
		"-x", "c++", filepath.Join(src, "kernels", "q35_gemv.hip"), filepath.Join(src, "kernels", "q35_gemm.hip"),
		"-x", "none", filepath.Join(src, "kernels", "q35_host.cpp"), filepath.Join(src, "emu", "q35_emu_main.cpp"),
		"-o", bin,
	}
	cmd := exec.CommandContext(ctx, compiler, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("build emulator with %s: %w\n%s", cxx, err, out.Bytes())
	}
	return &Emulator{path: bin, wave: wave}, nil
}

func writeSources(dir string) error {
	return fs.WalkDir(sources, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := sources.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// EmulatedCase is what the emulation computed for one test-vector case.
type EmulatedCase struct {
	// Status is 0, or the q35_api.h error code when the emulated call refused the case.
	Status int
	// FromInt8 is y (batch × rows) from the case's own int8 activations and scales.
	FromInt8 []float32
	// FromFloat is y from the case's float activations, quantized by the emulated
	// quantize_x kernel; XQ and XScale are that quantization.
	FromFloat []float32
	XQ        [][]int8
	XScale    []float32
}

// Run writes cases as a quantcore Q35V file in dir, runs the emulation over it, and reads
// back one EmulatedCase per case. The emulation's own exit status (1 when its built-in bit
// comparison found a mismatch) is not an error here: callers compare the results themselves.
func (e *Emulator) Run(ctx context.Context, dir string, cases []quantcore.VectorCase) ([]EmulatedCase, error) {
	in := filepath.Join(dir, "cases.q35v")
	out := filepath.Join(dir, "emulated.bin")
	var buf bytes.Buffer
	if err := quantcore.WriteVectors(&buf, cases); err != nil {
		return nil, fmt.Errorf("run emulator: %w", err)
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		return nil, fmt.Errorf("run emulator: %w", err)
	}
	cmd := exec.CommandContext(ctx, e.path, in, out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			return nil, fmt.Errorf("run %s: %w: %w\n%s", e.path, ErrEmulator, err, stderr.Bytes())
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("run emulator: %w", err)
	}
	return parseEmulated(data, cases)
}

func parseEmulated(data []byte, cases []quantcore.VectorCase) ([]EmulatedCase, error) {
	le := binary.LittleEndian
	take := func(n int) ([]byte, error) {
		if len(data) < n {
			return nil, fmt.Errorf("%w: output ends %d bytes early", ErrEmulator, n-len(data))
		}
		b := data[:n]
		data = data[n:]
		return b, nil
	}
	floats := func(n int) ([]float32, error) {
		b, err := take(4 * n)
		if err != nil {
			return nil, err
		}
		f := make([]float32, n)
		for i := range f {
			f[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		return f, nil
	}
	res := make([]EmulatedCase, len(cases))
	for i, c := range cases {
		b, err := take(4)
		if err != nil {
			return nil, fmt.Errorf("case %d (%s): %w", i, c.Name, err)
		}
		r := &res[i]
		r.Status = int(le.Uint32(b))
		if r.Status != 0 {
			continue
		}
		batch, rows, cols := len(c.XQ), c.M.Rows, c.M.Cols
		if r.FromInt8, err = floats(batch * rows); err == nil {
			r.FromFloat, err = floats(batch * rows)
		}
		var q []byte
		if err == nil {
			q, err = take(batch * cols)
		}
		if err == nil {
			r.XScale, err = floats(batch)
		}
		if err != nil {
			return nil, fmt.Errorf("case %d (%s): %w", i, c.Name, err)
		}
		for b := 0; b < batch; b++ {
			xq := make([]int8, cols)
			for k := range xq {
				xq[k] = int8(q[b*cols+k])
			}
			r.XQ = append(r.XQ, xq)
		}
	}
	if len(data) != 0 {
		return nil, fmt.Errorf("%w: %d bytes left after %d cases", ErrEmulator, len(data), len(cases))
	}
	return res, nil
}

// Mismatches lists, for one case, every place where the emulation differs from quantcore's
// bit-exact reference (at most limit entries; NaN matches NaN, since NaN payloads differ
// between CPUs and GPUs). Empty means the case matched bit for bit.
func Mismatches(c quantcore.VectorCase, r EmulatedCase, limit int) []string {
	var out []string
	add := func(format string, args ...any) {
		if len(out) < limit {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	if r.Status != 0 {
		add("%s: emulation refused the case (status %d)", c.Name, r.Status)
		return out
	}
	for name, ys := range map[string][]float32{"y from int8": r.FromInt8, "y from float": r.FromFloat} {
		for i, got := range ys {
			if !sameBits(got, c.Y[i]) {
				add("%s: %s[batch %d, row %d] = %v (%#08x), quantcore %v (%#08x)", c.Name, name,
					i/c.M.Rows, i%c.M.Rows, got, math.Float32bits(got), c.Y[i], math.Float32bits(c.Y[i]))
			}
		}
	}
	for b, q := range c.XQ {
		if !sameBits(r.XScale[b], q.Scale) {
			add("%s: sx[%d] = %v, quantcore %v", c.Name, b, r.XScale[b], q.Scale)
		}
		for k, v := range q.Q {
			if r.XQ[b][k] != v {
				add("%s: xq[%d][%d] = %d, quantcore %d", c.Name, b, k, r.XQ[b][k], v)
			}
		}
	}
	return out
}

func sameBits(a, b float32) bool {
	if a != a && b != b {
		return true
	}
	return math.Float32bits(a) == math.Float32bits(b)
}
