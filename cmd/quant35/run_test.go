package main

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/quantcore"
	qt "github.com/leanprove/leanprove/quantcore/quantcoretest"
)

func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func gauss(seed uint64, n int) []float32 {
	rng := rand.New(rand.NewPCG(seed, seed))
	w := make([]float32, n)
	for i := range w {
		w[i] = float32(rng.NormFloat64() * 0.02)
	}
	return w
}

// writeModel writes a small safetensors model: two matrices and a norm.
func writeModel(t *testing.T) (path string, wq, wo []float32) {
	t.Helper()
	wq, wo = gauss(1, 16*256), gauss(2, 2*8*128)
	data, err := qt.Safetensors([]qt.RawTensor{
		{Name: "layers.0.attn.wq", DType: "F32", Shape: []uint64{16, 256}, Data: qt.F32Bytes(wq)},
		{Name: "layers.0.attn.wo", DType: "F32", Shape: []uint64{2, 8, 128}, Data: qt.F32Bytes(wo)},
		{Name: "layers.0.norm", DType: "F32", Shape: []uint64{256}, Data: qt.F32Bytes(gauss(3, 256))},
	})
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "model.safetensors")
	if err := qt.WriteFile(path, data); err != nil {
		t.Fatal(err)
	}
	return path, wq, wo
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"size"},
		{"size", "--params", "-5"},
		{"size", "--params", "70e9", "--group", "63"},
		{"size", "--bogus"},
		{"size", "--params", "1e9", "extra"},
		{"eval"},
		{"eval", "--model", "x", "--group", "0"},
		{"pack", "--model", "x"},
		{"unpack", "--in", "x"},
		{"vectors"},
	} {
		if code, _, stderr := runArgs(t, args...); code != 2 || stderr == "" {
			t.Errorf("%q: exit %d (stderr %q), want 2 with a message", args, code, stderr)
		}
	}
}

// row returns the fields after name on the size-table line for name.
func row(out, name string) string {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.Join(strings.Fields(rest), " ")
		}
	}
	return ""
}

func TestSize(t *testing.T) {
	code, out, _ := runArgs(t, "size", "--params", "70e9")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for name, want := range map[string]string{
		"q35 codes only (before scales)": "3.5000 30.625 28.522 4.571× 9.143×",
		"q35-g64":                        "3.7500 32.812 30.559 4.267× 8.533×",
		"int4-g128":                      "4.1250 36.094 33.615 3.879× 7.758×",
		"fp16":                           "16.0000 140.000 130.385 1.000× 2.000×",
	} {
		if got := row(out, name); got != want {
			t.Errorf("%s: %q, want %q\n%s", name, got, want, out)
		}
	}
	_, out, _ = runArgs(t, "size", "--params", "70e9", "--group", "128")
	if got, want := row(out, "q35-g128"), "3.6250 31.719 29.540 4.414× 8.828×"; got != want {
		t.Errorf("q35-g128: %q, want %q", got, want)
	}
}

func TestEvalSafetensorsAndGGUF(t *testing.T) {
	path, _, _ := writeModel(t)
	code, out, stderr := runArgs(t, "eval", "--model", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"layers.0.attn.wq", "16x256", "layers.0.attn.wo", "16x128", "TOTAL (2 tensors)", "nf4-b64", "fp8-e4m3", "int3-g128", "holds for all", "kept in full precision (one-dimensional): 1 tensors"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	// The same weights in GGUF (F16) evaluate too.
	w := gauss(4, 4*128)
	h := make([]uint16, len(w))
	for i, v := range w {
		h[i] = quantcore.F16FromFloat32(v)
	}
	gpath := filepath.Join(t.TempDir(), "m.gguf")
	if err := qt.WriteFile(gpath, qt.GGUF([]qt.GGUFTensor{{Name: "blk.0.ffn_up.weight", Dims: []uint64{128, 4}, Type: qt.GGMLF16, Data: qt.U16Bytes(h)}})); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runArgs(t, "eval", "--model", gpath, "--group", "128")
	if code != 0 || !strings.Contains(out, "blk.0.ffn_up.weight") || !strings.Contains(out, "4x128") {
		t.Fatalf("GGUF eval exit %d: %s\n%s", code, stderr, out)
	}
}

func TestEvalBadInputExit1NamesTensor(t *testing.T) {
	dir := t.TempDir()
	nanW := gauss(5, 2*128)
	nanW[130] = float32(math.NaN())
	nanFile, err := qt.Safetensors([]qt.RawTensor{{Name: "bad.weight", DType: "F32", Shape: []uint64{2, 128}, Data: qt.F32Bytes(nanW)}})
	if err != nil {
		t.Fatal(err)
	}
	oddFile, err := qt.Safetensors([]qt.RawTensor{{Name: "odd.weight", DType: "F32", Shape: []uint64{2, 96}, Data: qt.F32Bytes(gauss(6, 192))}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"nan.safetensors", nanFile, `"bad.weight": non-finite value: NaN at row 1, column 2`},
		{"odd.safetensors", oddFile, `"odd.weight": bad group size: group size 64 does not divide the row length 96`},
		{"trunc.safetensors", nanFile[:len(nanFile)-8], `"bad.weight": truncated file`},
	} {
		p := filepath.Join(dir, tt.name)
		if err := os.WriteFile(p, tt.data, 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runArgs(t, "eval", "--model", p)
		if code != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", tt.name, code, stderr, tt.want)
		}
	}
}

func TestPackUnpackRoundTrip(t *testing.T) {
	path, wq, wo := writeModel(t)
	dir := t.TempDir()
	packed, unpacked := filepath.Join(dir, "m.q35"), filepath.Join(dir, "m.safetensors")
	if code, out, stderr := runArgs(t, "pack", "--model", path, "--out", packed); code != 0 || !strings.Contains(out, "3.7500 bits/weight") {
		t.Fatalf("pack exit %d: %s %s", code, out, stderr)
	}
	if code, _, stderr := runArgs(t, "unpack", "--in", packed, "--out", unpacked); code != 0 {
		t.Fatalf("unpack exit %d: %s", code, stderr)
	}
	ts, err := quantcore.ReadWeights(context.Background(), unpacked)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]quantcore.Tensor{}
	for _, tt := range ts {
		byName[tt.Name] = tt
	}
	for name, w := range map[string][]float32{"layers.0.attn.wq": wq, "layers.0.attn.wo": wo} {
		got := byName[name]
		rows, cols, _ := got.Matrix()
		m, err := quantcore.QuantizeMatrix(name, w, rows, cols, quantcore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := m.Dequantize()
		for i := range want {
			if got.Data[i] != want[i] {
				t.Fatalf("%s[%d] = %v after pack/unpack, want %v", name, i, got.Data[i], want[i])
			}
		}
	}
	if norm := byName["layers.0.norm"]; len(norm.Data) != 256 || norm.Data[0] != gauss(3, 256)[0] {
		t.Errorf("norm not kept exactly: %v", norm.Shape)
	}
	if code, _, stderr := runArgs(t, "unpack", "--in", path, "--out", unpacked); code != 1 || !strings.Contains(stderr, "bad file format") {
		t.Errorf("unpack of a non-container: exit %d, %q", code, stderr)
	}
}

func TestVectorsCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "v.bin")
	code, stdout, stderr := runArgs(t, "vectors", "--out", out, "--seed", "7")
	if code != 0 || !strings.Contains(stdout, "wrote 10 cases") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := quantcore.ReadVectors(f)
	if err != nil || len(cases) != 10 {
		t.Fatalf("read back %d cases: %v", len(cases), err)
	}
}
