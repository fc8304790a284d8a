package quantcore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"testing"
)

func TestCeilSqrt(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want int64
	}{{0, 0}, {1, 1}, {2, 2}, {4, 2}, {5, 3}, {8100, 90}, {8101, 91}, {8192, 91}, {8281, 91}, {8282, 92}} {
		if got := CeilSqrt(tc.n); got != tc.want {
			t.Errorf("CeilSqrt(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

func TestFixedCeil(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		bits int
		want int64
	}{{0, 8, 0}, {1, 8, 256}, {0.5, 8, 128}, {0.3, 8, 77}, {1.0 / 256, 8, 1}, {1.0/256 + 1e-12, 8, 2}} {
		if got := fixedCeil(tc.v, tc.bits); got.Int64() != tc.want {
			t.Errorf("fixedCeil(%g, %d) = %v, want %d", tc.v, tc.bits, got, tc.want)
		}
	}
}

// TestDeriveLayerBoundsByHand checks one layer against numbers worked out by
// hand from the formulas of LeanProve/Bounds.lean.
func TestDeriveLayerBoundsByHand(t *testing.T) {
	shape := ModelShape{Layers: 1, DModel: 16, Heads: 4, KVHeads: 2, FFN: 32}
	// max|w| = 5 · 2^-10 gives the fp16 scale 2^-10 exactly: 2^14 scale units.
	w := 5 * math.Ldexp(1, -10)
	m := LayerMaxima{AttnNorm: 1, FFNNorm: 0.5, Value: w, Output: w, Gate: w, Up: w, Down: w}
	got, err := DeriveLayerBounds(shape, []LayerMaxima{m}, 2)
	if err != nil {
		t.Fatal(err)
	}
	b := got[0]
	// K = ⌈√16⌉ = 4; G = 256 and 128; U = 1024 and 512.
	// Value = ⌈16·5·2^14·1024 / 2^24⌉ = 80; Attn = ⌈16·5·2^14·80 / 2^24⌉ = ⌈6.25⌉ = 7.
	// Gate = Up = ⌈16·5·2^14·512 / 2^24⌉ = 40; Hidden = ⌈1600/256⌉ = 7;
	// FFN = ⌈32·5·2^14·7 / 2^24⌉ = ⌈1.09375⌉ = 2. Resid: 512 → 512 + 7 + 2 = 521.
	want := map[string]int64{
		"GAttn": 256, "GFFN": 128, "UAttn": 1024, "UFFN": 512, "SV": 1 << 14, "SD": 1 << 14,
		"Value": 80, "Attn": 7, "Gate": 40, "Up": 40, "Hidden": 7, "FFN": 2, "ResidIn": 512, "ResidOut": 521,
	}
	have := map[string]*big.Int{
		"GAttn": b.GAttn, "GFFN": b.GFFN, "UAttn": b.UAttn, "UFFN": b.UFFN, "SV": b.SV, "SD": b.SD,
		"Value": b.Value, "Attn": b.Attn, "Gate": b.Gate, "Up": b.Up, "Hidden": b.Hidden, "FFN": b.FFN,
		"ResidIn": b.ResidIn, "ResidOut": b.ResidOut,
	}
	for name, w := range want {
		if have[name].Int64() != w {
			t.Errorf("%s = %v, want %d", name, have[name], w)
		}
	}
}

func TestDeriveLayerBoundsRejectsBadInput(t *testing.T) {
	shape := ModelShape{Layers: 1, DModel: 16, Heads: 4, KVHeads: 2, FFN: 32}
	good := LayerMaxima{AttnNorm: 1, FFNNorm: 1, Value: 0.1, Output: 0.1, Gate: 0.1, Up: 0.1, Down: 0.1}
	nan := good
	nan.Up = math.NaN()
	huge := good
	huge.Down = 1e9
	for _, tc := range []struct {
		name   string
		shape  ModelShape
		maxima []LayerMaxima
		emb    float64
		want   error
	}{
		{"layer count", shape, []LayerMaxima{good, good}, 1, ErrShape},
		{"bad shape", ModelShape{Layers: 1, DModel: 10, Heads: 4, KVHeads: 2, FFN: 8}, []LayerMaxima{good}, 1, ErrShape},
		{"NaN statistic", shape, []LayerMaxima{nan}, 1, ErrNonFinite},
		{"NaN embedding", shape, []LayerMaxima{good}, math.NaN(), ErrNonFinite},
		{"scale overflow", shape, []LayerMaxima{huge}, 1, ErrScaleOverflow},
	} {
		if _, err := DeriveLayerBounds(tc.shape, tc.maxima, tc.emb); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestSyntheticBoundsLlama70B(t *testing.T) {
	shape := Llama70BShape()
	maxima := make([]LayerMaxima, shape.Layers)
	for l := range maxima {
		maxima[l] = SyntheticLayerMaxima(shape, l)
		if again := SyntheticLayerMaxima(shape, l); again != maxima[l] {
			t.Fatalf("layer %d: synthetic statistics are not deterministic", l)
		}
	}
	bounds, err := DeriveLayerBounds(shape, maxima, SyntheticEmbeddingMax)
	if err != nil {
		t.Fatal(err)
	}
	for l, b := range bounds {
		if l > 0 && b.ResidIn.Cmp(bounds[l-1].ResidOut) != 0 {
			t.Errorf("layer %d: ResidIn %v != previous ResidOut %v", l, b.ResidIn, bounds[l-1].ResidOut)
		}
		sum := new(big.Int).Add(b.ResidIn, b.Attn)
		if sum.Add(sum, b.FFN).Cmp(b.ResidOut) != 0 {
			t.Errorf("layer %d: ResidOut is not ResidIn + Attn + FFN", l)
		}
		// Every bound must be at least the real-valued product it rounds up.
		realV := float64(shape.DModel) * 5 * float64(b.SV.Int64()) * float64(b.UAttn.Int64()) / (1 << 24)
		if v, _ := new(big.Float).SetInt(b.Value).Float64(); v < realV {
			t.Errorf("layer %d: Value %v below %g", l, b.Value, realV)
		}
	}
	if bounds[0].GAttn.Int64() != int64(math.Ceil(maxima[0].AttnNorm*256)) {
		t.Errorf("layer 0 GAttn = %v, want ⌈%g·256⌉", bounds[0].GAttn, maxima[0].AttnNorm)
	}
}

// TestLayerMaximaFromTensors writes a small two-layer model in both naming
// conventions and reads its maxima back through ReadWeights.
func TestLayerMaximaFromTensors(t *testing.T) {
	shape := ModelShape{Layers: 2, DModel: 4, Heads: 2, KVHeads: 1, FFN: 8}
	for _, conv := range []string{"hf", "gguf"} {
		var tensors []Tensor
		emb := []string{"model.embed_tokens.weight", "token_embd.weight"}[map[string]int{"hf": 0, "gguf": 1}[conv]]
		tensors = append(tensors, Tensor{Name: emb, Shape: []int{3, 4}, Data: []float32{0, -0.75, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.25}})
		for l := 0; l < shape.Layers; l++ {
			for i, tn := range tensorNames {
				name := fmt.Sprintf(tn.hf, l)
				if conv == "gguf" {
					name = fmt.Sprintf(tn.gguf, l)
				}
				// The largest magnitude is negative and depends on layer and tensor.
				peak := float32(l+1) * float32(i+1) / 16
				tensors = append(tensors, Tensor{Name: name, Shape: []int{2, 2}, Data: []float32{0.01, -peak, peak / 2, 0}})
			}
		}
		path := filepath.Join(t.TempDir(), "model.safetensors")
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, tensors); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		read, err := ReadWeights(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		maxima, embMax, err := LayerMaximaFromTensors(read, shape)
		if err != nil {
			t.Fatalf("%s: %v", conv, err)
		}
		if embMax != 0.75 {
			t.Errorf("%s: embedding max = %g, want 0.75", conv, embMax)
		}
		for l, m := range maxima {
			got := []float64{m.AttnNorm, m.FFNNorm, m.Value, m.Output, m.Gate, m.Up, m.Down}
			for i, g := range got {
				if want := float64(float32(l+1) * float32(i+1) / 16); g != want {
					t.Errorf("%s layer %d statistic %d = %g, want %g", conv, l, i, g, want)
				}
			}
		}
		// Dropping one tensor is an error that names it.
		_, _, err = LayerMaximaFromTensors(read[:len(read)-1], shape)
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: missing tensor: err = %v, want ErrFormat", conv, err)
		}
	}
}
