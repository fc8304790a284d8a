package quantcore

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

func TestContainerRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	w := gaussMatrix(rng, 4*2*128, 0.02)
	m, err := QuantizeMatrix("w", w, 8, 128, Options{GroupSize: 128})
	if err != nil {
		t.Fatal(err)
	}
	in := []PackedTensor{
		{Name: "layers.0.w", Shape: []int{4, 2, 128}, M: m},
		{Name: "norm", Shape: []int{5}, Raw: []float32{1, 2, 3, 4, 5}},
	}
	var buf bytes.Buffer
	if err := WriteContainer(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadContainer(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].M == nil || out[1].M != nil {
		t.Fatalf("read %+v", out)
	}
	got := out[0].M
	if got.Rows != 8 || got.Cols != 128 || got.GroupSize != 128 {
		t.Fatalf("matrix %d×%d G=%d", got.Rows, got.Cols, got.GroupSize)
	}
	for i := range m.Words {
		if got.Words[i] != m.Words[i] {
			t.Fatalf("word %d differs", i)
		}
	}
	for i := range m.Scales {
		if got.Scales[i] != m.Scales[i] {
			t.Fatalf("scale %d differs", i)
		}
	}
	if out[1].Raw[4] != 5 || len(out[1].Shape) != 1 {
		t.Fatalf("raw tensor %+v", out[1])
	}
	for cut := 0; cut < buf.Len(); cut += 97 {
		if _, err := ReadContainer(bytes.NewReader(buf.Bytes()[:cut])); !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d: err = %v, want ErrTruncated", cut, err)
		}
	}
}
