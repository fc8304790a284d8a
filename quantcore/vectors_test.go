package quantcore

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

func TestVectorsRoundTripAndRecompute(t *testing.T) {
	cases, err := GenerateVectors(1)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteVectors(&buf, cases); err != nil {
		t.Fatal(err)
	}
	got, err := ReadVectors(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(cases) {
		t.Fatalf("read %d cases, wrote %d", len(got), len(cases))
	}
	sawG := map[int]bool{}
	maxBatch := 0
	for i, c := range got {
		sawG[c.M.GroupSize] = true
		maxBatch = max(maxBatch, len(c.XQ))
		if c.Name != cases[i].Name {
			t.Errorf("case %d: name %q, want %q", i, c.Name, cases[i].Name)
		}
		// The stored activations re-quantize to the stored xq, and the
		// stored y is GEMMInt of the read matrix, bit for bit.
		for b, x := range c.X {
			qv, err := QuantizeActivations(x)
			if err != nil {
				t.Fatal(err)
			}
			if math.Float32bits(qv.Scale) != math.Float32bits(c.XQ[b].Scale) || !bytes.Equal(i8bytes(qv.Q), i8bytes(c.XQ[b].Q)) {
				t.Errorf("case %s column %d: activations do not re-quantize to the stored xq", c.Name, b)
			}
		}
		y := make([]float32, len(c.Y))
		if err := GEMMInt(c.M, c.XQ, y); err != nil {
			t.Fatal(err)
		}
		for j := range y {
			if math.Float32bits(y[j]) != math.Float32bits(c.Y[j]) {
				t.Fatalf("case %s: y[%d] = %v, stored %v", c.Name, j, y[j], c.Y[j])
			}
		}
	}
	if !sawG[64] || !sawG[128] || maxBatch != MaxBatch {
		t.Errorf("vectors cover groups %v and max batch %d, want 64, 128 and %d", sawG, maxBatch, MaxBatch)
	}
}

func i8bytes(q []int8) []byte {
	b := make([]byte, len(q))
	for i, v := range q {
		b[i] = byte(v)
	}
	return b
}

func TestReadVectorsRejectsBadFiles(t *testing.T) {
	cases, err := GenerateVectors(2)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteVectors(&buf, cases[:2]); err != nil {
		t.Fatal(err)
	}
	full := buf.Bytes()
	corruptCode := append([]byte(nil), full...)
	// First word of the first case's matrix: after magic, version, count,
	// nameLen, name and four sizes. Set a code to 127.
	off := 12 + 4 + len(cases[0].Name) + 16
	corruptCode[off] = 0x7F
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"truncated", full[:len(full)-3], ErrTruncated},
		{"bad magic", append([]byte("XXXX"), full[4:]...), ErrFormat},
		{"empty", nil, ErrTruncated},
		{"invalid code", corruptCode, ErrCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadVectors(bytes.NewReader(tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
