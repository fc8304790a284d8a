// Package quantcoretest writes small weight files for tests: GGUF files
// (which the GGUF library cannot write) and safetensors files with any dtype.
package quantcoretest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"

	"github.com/nlpodyssey/safetensors"
)

// GGML tensor type ids used in GGUF files.
const (
	GGMLF32  = 0
	GGMLF16  = 1
	GGMLQ4_0 = 2
	GGMLBF16 = 30
)

// GGUFTensor is one tensor to write. Dims are in GGUF order (innermost first).
type GGUFTensor struct {
	Name string
	Dims []uint64
	Type uint32
	Data []byte
}

// GGUF returns a GGUF v3 file with general.architecture = "llama",
// general.alignment = 32 and the given tensors, each aligned to 32 bytes.
func GGUF(tensors []GGUFTensor) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	put := func(v any) { _ = binary.Write(&b, le, v) }
	str := func(s string) { put(uint64(len(s))); b.WriteString(s) }
	b.WriteString("GGUF")
	put(uint32(3))
	put(uint64(len(tensors)))
	put(uint64(2))
	str("general.architecture")
	put(uint32(8)) // string
	str("llama")
	str("general.alignment")
	put(uint32(4)) // uint32
	put(uint32(32))
	const align = 32
	offset := uint64(0)
	offsets := make([]uint64, len(tensors))
	for i, t := range tensors {
		str(t.Name)
		put(uint32(len(t.Dims)))
		for _, d := range t.Dims {
			put(d)
		}
		put(t.Type)
		offsets[i] = offset
		put(offset)
		offset += (uint64(len(t.Data)) + align - 1) / align * align
	}
	for b.Len()%align != 0 {
		b.WriteByte(0)
	}
	for i, t := range tensors {
		b.Write(t.Data)
		if i < len(tensors)-1 {
			for b.Len()%align != 0 {
				b.WriteByte(0)
			}
		}
	}
	return b.Bytes()
}

// RawTensor is one safetensors tensor with any dtype name ("F32", "I32", ...).
type RawTensor struct {
	Name  string
	DType string
	Shape []uint64
	Data  []byte
}

// Safetensors serializes tensors through the safetensors library.
func Safetensors(tensors []RawTensor) ([]byte, error) {
	views := map[string]safetensors.TensorView{}
	for _, t := range tensors {
		dt, err := safetensors.ParseDType(t.DType)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", t.Name, err)
		}
		tv, err := safetensors.NewTensorView(dt, t.Shape, t.Data)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", t.Name, err)
		}
		views[t.Name] = tv
	}
	return safetensors.Serialize(views, nil)
}

// F32Bytes encodes float32 values little-endian.
func F32Bytes(v []float32) []byte {
	out := make([]byte, 0, 4*len(v))
	for _, f := range v {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(f))
	}
	return out
}

// U16Bytes encodes 16-bit patterns (fp16 or bf16) little-endian.
func U16Bytes(v []uint16) []byte {
	out := make([]byte, 0, 2*len(v))
	for _, h := range v {
		out = binary.LittleEndian.AppendUint16(out, h)
	}
	return out
}

// WriteFile writes data to path or fails the caller's test through the
// returned error.
func WriteFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
