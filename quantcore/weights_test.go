package quantcore_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/quantcore"
	qt "github.com/leanprove/leanprove/quantcore/quantcoretest"
)

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := qt.WriteFile(p, data); err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	f32vals  = []float32{1, -2, 0.5, 3, 0, -0.25}
	f16bits  = []uint16{0x3C00, 0xC000, 0x3800, 0x4200, 0, 0xB400} // same values in fp16
	bf16bits = []uint16{0x3F80, 0xC000, 0x3F00, 0x4040, 0, 0xBE80} // same values in bf16
)

func checkTensor(t *testing.T, got quantcore.Tensor, name, dtype string, shape []int) {
	t.Helper()
	if got.Name != name || got.DType != dtype || len(got.Shape) != len(shape) {
		t.Fatalf("tensor %+v, want %s %s %v", got, name, dtype, shape)
	}
	for i := range shape {
		if got.Shape[i] != shape[i] {
			t.Fatalf("%s: shape %v, want %v", name, got.Shape, shape)
		}
	}
	for i, v := range f32vals {
		if got.Data[i] != v {
			t.Fatalf("%s: data %v, want %v", name, got.Data, f32vals)
		}
	}
}

func TestReadSafetensors(t *testing.T) {
	data, err := qt.Safetensors([]qt.RawTensor{
		{Name: "a.f32", DType: "F32", Shape: []uint64{2, 3}, Data: qt.F32Bytes(f32vals)},
		{Name: "b.f16", DType: "F16", Shape: []uint64{3, 2}, Data: qt.U16Bytes(f16bits)},
		{Name: "c.bf16", DType: "BF16", Shape: []uint64{6}, Data: qt.U16Bytes(bf16bits)},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := quantcore.ReadWeights(context.Background(), writeTemp(t, "m.safetensors", data))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 {
		t.Fatalf("%d tensors, want 3", len(ts))
	}
	checkTensor(t, ts[0], "a.f32", "F32", []int{2, 3})
	checkTensor(t, ts[1], "b.f16", "F16", []int{3, 2})
	checkTensor(t, ts[2], "c.bf16", "BF16", []int{6})
	if r, c, ok := ts[0].Matrix(); !ok || r != 2 || c != 3 {
		t.Errorf("Matrix() = %d, %d, %v", r, c, ok)
	}
	if _, _, ok := ts[2].Matrix(); ok {
		t.Errorf("a 1-D tensor reported as a matrix")
	}
}

func TestReadGGUF(t *testing.T) {
	data := qt.GGUF([]qt.GGUFTensor{
		{Name: "w.f32", Dims: []uint64{3, 2}, Type: qt.GGMLF32, Data: qt.F32Bytes(f32vals)},
		{Name: "w.f16", Dims: []uint64{2, 3}, Type: qt.GGMLF16, Data: qt.U16Bytes(f16bits)},
		{Name: "w.bf16", Dims: []uint64{6}, Type: qt.GGMLBF16, Data: qt.U16Bytes(bf16bits)},
	})
	ts, err := quantcore.ReadWeights(context.Background(), writeTemp(t, "m.gguf", data))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 {
		t.Fatalf("%d tensors, want 3", len(ts))
	}
	// GGUF dims are innermost first: [3, 2] is 2 rows of 3.
	checkTensor(t, ts[0], "w.f32", "F32", []int{2, 3})
	checkTensor(t, ts[1], "w.f16", "F16", []int{3, 2})
	checkTensor(t, ts[2], "w.bf16", "BF16", []int{6})
}

func TestReadWeightsErrors(t *testing.T) {
	good, err := qt.Safetensors([]qt.RawTensor{{Name: "emb", DType: "F32", Shape: []uint64{4, 4}, Data: qt.F32Bytes(make([]float32, 16))}})
	if err != nil {
		t.Fatal(err)
	}
	intST, err := qt.Safetensors([]qt.RawTensor{{Name: "ids", DType: "I32", Shape: []uint64{4}, Data: make([]byte, 16)}})
	if err != nil {
		t.Fatal(err)
	}
	// A header whose shape disagrees with its data offsets.
	mismatch := []byte(`{"w":{"dtype":"F32","shape":[4,4],"data_offsets":[0,32]}}`)
	mismatchFile := append(le64(uint64(len(mismatch))), mismatch...)
	mismatchFile = append(mismatchFile, make([]byte, 32)...)
	goodGGUF := qt.GGUF([]qt.GGUFTensor{{Name: "blk.0.w", Dims: []uint64{8, 4}, Type: qt.GGMLF32, Data: qt.F32Bytes(make([]float32, 32))}})
	q4GGUF := qt.GGUF([]qt.GGUFTensor{{Name: "blk.0.q", Dims: []uint64{32}, Type: qt.GGMLQ4_0, Data: make([]byte, 18)}})
	tests := []struct {
		name, file string
		data       []byte
		want       error
		mention    string
	}{
		{"safetensors wrong dtype", "a.safetensors", intST, quantcore.ErrDType, `"ids"`},
		{"safetensors truncated data", "b.safetensors", good[:len(good)-5], quantcore.ErrTruncated, `"emb"`},
		{"safetensors truncated header", "c.safetensors", good[:20], quantcore.ErrTruncated, "header declares"},
		{"safetensors shape mismatch", "d.safetensors", mismatchFile, quantcore.ErrShape, `"w": shape mismatch: shape [4 4] of F32 needs 64 bytes`},
		{"tiny file", "e.bin", []byte{1, 2}, quantcore.ErrTruncated, "shorter than 4 bytes"},
		{"gguf truncated", "f.gguf", goodGGUF[:len(goodGGUF)-16], quantcore.ErrFormat, "f.gguf"},
		{"gguf header cut", "g.gguf", goodGGUF[:30], quantcore.ErrFormat, "g.gguf"},
		{"gguf quantized dtype", "h.gguf", q4GGUF, quantcore.ErrDType, `"blk.0.q"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := quantcore.ReadWeights(context.Background(), writeTemp(t, tt.file, tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("error %q does not mention %s", err, tt.mention)
			}
		})
	}
	if _, err := quantcore.ReadWeights(context.Background(), filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

func le64(v uint64) []byte {
	b := make([]byte, 8)
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	return b
}

func TestWriteSafetensorsRoundTrip(t *testing.T) {
	in := []quantcore.Tensor{{Name: "x", Shape: []int{2, 3}, Data: f32vals}}
	var buf bytes.Buffer
	if err := quantcore.WriteSafetensors(&buf, in); err != nil {
		t.Fatal(err)
	}
	ts, err := quantcore.ReadWeights(context.Background(), writeTemp(t, "x.safetensors", buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	checkTensor(t, ts[0], "x", "F32", []int{2, 3})
}
