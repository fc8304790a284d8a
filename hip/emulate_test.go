package hip

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"github.com/leanprove/leanprove/quantcore"
)

// extraCase describes a test vector beyond quantcore.GenerateVectors: shapes that reach every
// compiled kernel variant (G = 64 and 128 register paths, the generic-G path, each batch width
// with padding columns) and the edge layouts (rows fewer than a block, all-zero groups).
type extraCase struct {
	name                     string
	rows, cols, group, batch int
	zeroEvery                int // every zeroEvery-th group all zero (0: none; 1: all)
}

var extraCases = []extraCase{
	{"g64_r5_c1024_b3", 5, 1024, 64, 3, 0},
	{"g64_r6_c4160_b9", 6, 4160, 64, 9, 0}, // 65 groups: lane 0 takes two
	{"g64_r3_c512_b17", 3, 512, 64, 17, 2},
	{"g64_r2_c64_b32", 2, 64, 64, 32, 0},
	{"g64_r4_c4096_b1", 4, 4096, 64, 1, 3}, // exactly one chunk of 64 groups
	{"g128_r7_c2048_b1", 7, 2048, 128, 1, 0},
	{"g128_r5_c1024_b2", 5, 1024, 128, 2, 2},
	{"g128_r9_c8448_b5", 9, 8448, 128, 5, 0}, // 66 groups
	{"g128_r1_c256_b32", 1, 256, 128, 32, 0},
	{"g128_allzero_r4_c512_b3", 4, 512, 128, 3, 1},
	{"g2_r3_c40_b2", 3, 40, 2, 2, 0}, // W = 1, generic path
	{"g6_r5_c390_b1", 5, 390, 6, 1, 0},
	{"g34_r4_c680_b4", 4, 680, 34, 4, 5},
	{"g256_r3_c768_b3", 3, 768, 256, 3, 0}, // largest G, W = 28
}

func buildCases(t *testing.T) []quantcore.VectorCase {
	t.Helper()
	cases, err := quantcore.GenerateVectors(1)
	if err != nil {
		t.Fatalf("quantcore.GenerateVectors: %v", err)
	}
	rng := rand.New(rand.NewPCG(7, 35))
	for _, e := range extraCases {
		w := make([]float32, e.rows*e.cols)
		for i := range w {
			g := i / e.group
			if e.zeroEvery > 0 && g%e.zeroEvery == 0 {
				continue
			}
			w[i] = float32(rng.NormFloat64() * 0.05)
		}
		m, err := quantcore.QuantizeMatrix(e.name, w, e.rows, e.cols, quantcore.Options{GroupSize: e.group})
		if err != nil {
			t.Fatalf("quantize %s: %v", e.name, err)
		}
		xs := make([][]float32, e.batch)
		for b := range xs {
			xs[b] = make([]float32, e.cols)
			for i := range xs[b] {
				xs[b][i] = float32(rng.NormFloat64() * math.Pow(10, float64(b%5-2)))
			}
		}
		c, err := quantcore.NewVectorCase(e.name, m, xs)
		if err != nil {
			t.Fatalf("vector case %s: %v", e.name, err)
		}
		cases = append(cases, c)
	}
	return cases
}

// TestCasesCoverTheKernels guards the case list itself: losing G=64, G=128, a zero group or
// batch 32 from it would make the emulation test weaker without failing it.
func TestCasesCoverTheKernels(t *testing.T) {
	cases := buildCases(t)
	groups, batches := map[int]bool{}, map[int]bool{}
	zeroGroup := false
	for _, c := range cases {
		groups[c.M.GroupSize] = true
		batches[len(c.XQ)] = true
		for _, s := range c.M.Scales {
			zeroGroup = zeroGroup || s == 0
		}
	}
	for _, g := range []int{64, 128, 2, 256} {
		if !groups[g] {
			t.Errorf("no case with group size %d", g)
		}
	}
	for _, b := range []int{1, 2, 3, 5, 9, 17, 32} {
		if !batches[b] {
			t.Errorf("no case with batch %d", b)
		}
	}
	if !zeroGroup {
		t.Error("no case with an all-zero group")
	}
}

func buildEmulator(t *testing.T, wave int) *Emulator {
	t.Helper()
	emu, err := BuildEmulator(context.Background(), "", t.TempDir(), wave)
	if errors.Is(err, ErrNoCompiler) {
		t.Skipf("CPU emulation not built: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return emu
}

// TestEmulationMatchesQuantcore runs the unchanged kernel sources on the CPU and requires every
// output to equal quantcore.GEMMInt bit for bit, from the file's int8 activations and from the
// float activations quantized by the emulated quantize_x kernel, for the gfx90a path (wave 64)
// and the NVIDIA path (wave 32).
func TestEmulationMatchesQuantcore(t *testing.T) {
	cases := buildCases(t)
	for _, wave := range []int{64, 32} {
		t.Run(fmt.Sprintf("wave%d", wave), func(t *testing.T) {
			if testing.Short() && wave == 32 {
				t.Skip("-short: the wave-32 run repeats the wave-64 cases on the NVIDIA code path")
			}
			emu := buildEmulator(t, wave)
			res, err := emu.Run(context.Background(), t.TempDir(), cases)
			if err != nil {
				t.Fatal(err)
			}
			matched, outputs := 0, 0
			for i, c := range cases {
				outputs += 2 * len(c.Y)
				if bad := Mismatches(c, res[i], 8); len(bad) > 0 {
					for _, b := range bad {
						t.Error(b)
					}
					continue
				}
				matched++
			}
			t.Logf("wave %d: %d of %d cases matched quantcore bit for bit (%d outputs from int8 and from float activations, plus xq, sx)",
				wave, matched, len(cases), outputs)
		})
	}
}

func TestMismatchesReportsDifferences(t *testing.T) {
	cases := buildCases(t)[:1]
	c := cases[0]
	good := EmulatedCase{FromInt8: append([]float32(nil), c.Y...), FromFloat: append([]float32(nil), c.Y...), XScale: []float32{c.XQ[0].Scale}}
	good.XQ = [][]int8{append([]int8(nil), c.XQ[0].Q...)}
	if bad := Mismatches(c, good, 10); len(bad) != 0 {
		t.Fatalf("identical results reported as different: %v", bad)
	}
	tests := []struct {
		name   string
		break_ func(r *EmulatedCase)
	}{
		{"last bit of y", func(r *EmulatedCase) { r.FromInt8[0] = math.Float32frombits(math.Float32bits(r.FromInt8[0]) ^ 1) }},
		{"sign of zero", func(r *EmulatedCase) {
			r.FromFloat[0] = math.Float32frombits(math.Float32bits(r.FromFloat[0]) ^ 0x80000000)
		}},
		{"activation level", func(r *EmulatedCase) { r.XQ[0][0]++ }},
		{"activation scale", func(r *EmulatedCase) { r.XScale[0] *= 2 }},
		{"refused", func(r *EmulatedCase) { r.Status = 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := EmulatedCase{FromInt8: append([]float32(nil), good.FromInt8...), FromFloat: append([]float32(nil), good.FromFloat...),
				XScale: append([]float32(nil), good.XScale...), XQ: [][]int8{append([]int8(nil), good.XQ[0]...)}}
			tt.break_(&r)
			if bad := Mismatches(c, r, 10); len(bad) != 1 {
				t.Errorf("want exactly one mismatch, got %v", bad)
			}
		})
	}
}

func TestParseEmulatedRejectsWrongSizes(t *testing.T) {
	cases := buildCases(t)[:1]
	c := cases[0]
	n := 4 + 8*len(c.Y) + len(c.XQ)*c.M.Cols + 4*len(c.XQ)
	if _, err := parseEmulated(make([]byte, n), cases); err != nil {
		t.Fatalf("right size rejected: %v", err)
	}
	for _, size := range []int{0, n - 1, n + 1} {
		if _, err := parseEmulated(make([]byte, size), cases); !errors.Is(err, ErrEmulator) {
			t.Errorf("size %d of %d: err = %v, want ErrEmulator", size, n, err)
		}
	}
}

func TestBuildEmulatorWithoutCompiler(t *testing.T) {
	_, err := BuildEmulator(context.Background(), "no-such-compiler-q35", t.TempDir(), 64)
	if !errors.Is(err, ErrNoCompiler) {
		t.Fatalf("err = %v, want ErrNoCompiler", err)
	}
	if _, err := BuildEmulator(context.Background(), "", t.TempDir(), 48); err == nil {
		t.Fatal("wavefront 48 accepted")
	}
}

func TestCheckCall(t *testing.T) {
	m, err := quantcore.QuantizeMatrix("w", make([]float32, 2*128), 2, 128, quantcore.Options{GroupSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name              string
		batch, xlen, ylen int
		ok                bool
	}{
		{"gemv", 1, 128, 2, true},
		{"batch 32", 32, 32 * 128, 64, true},
		{"batch 0", 0, 0, 0, false},
		{"batch 33", 33, 33 * 128, 66, false},
		{"short activations", 1, 127, 2, false},
		{"short output", 2, 256, 3, false},
	}
	for _, tt := range tests {
		err := checkCall(m, tt.batch, tt.xlen, tt.ylen)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrShape)) {
			t.Errorf("%s: err = %v, want ok=%v (ErrShape otherwise)", tt.name, err, tt.ok)
		}
	}
	if err := checkCall(nil, 1, 1, 1); !errors.Is(err, ErrShape) {
		t.Errorf("nil matrix: err = %v", err)
	}
}

// The compiler is looked up the same way BuildEmulator does, so that a skipped emulation test
// says why in the log of the whole suite.
func TestMain(m *testing.M) {
	found := false
	for _, c := range DefaultCompilers {
		_, err := exec.LookPath(c)
		found = found || err == nil
	}
	if !found {
		fmt.Printf("hip: none of %v found; the CPU-emulation tests will skip\n", DefaultCompilers)
	}
	os.Exit(m.Run())
}
