package quantcore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	gguf "github.com/gpustack/gguf-parser-go"
	"github.com/nlpodyssey/safetensors"
)

// Tensor is one float tensor read from a weight file, converted to float32.
type Tensor struct {
	Name string
	// Shape is row-major, outermost dimension first (GGUF dimensions are
	// reversed into this order).
	Shape []int
	// DType is the dtype in the file: "F32", "F16" or "BF16".
	DType string
	Data  []float32
}

// Matrix returns the tensor as rows × cols with cols the innermost
// dimension; ok is false for tensors of fewer than two dimensions.
func (t Tensor) Matrix() (rows, cols int, ok bool) {
	if len(t.Shape) < 2 {
		return 0, 0, false
	}
	cols = t.Shape[len(t.Shape)-1]
	rows = 1
	for _, d := range t.Shape[:len(t.Shape)-1] {
		rows *= d
	}
	return rows, cols, true
}

// ReadWeights reads every tensor of a safetensors or GGUF file (told apart
// by the GGUF magic). Only F32, F16 and BF16 tensors are supported; any
// other dtype is an error naming the tensor. Tensors come back sorted by name
// for safetensors and in file order for GGUF.
func ReadWeights(ctx context.Context, path string) ([]Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read weights: %w", err)
	}
	var magic [4]byte
	_, err = io.ReadFull(f, magic[:])
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w: shorter than 4 bytes", path, ErrTruncated)
	}
	if string(magic[:]) == "GGUF" {
		return readGGUF(ctx, path)
	}
	return readSafetensors(ctx, path)
}

func readSafetensors(ctx context.Context, path string) ([]Tensor, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(buf) < 8 {
		return nil, fmt.Errorf("read %s: %w: %d bytes, a safetensors header needs 8", path, ErrTruncated, len(buf))
	}
	hlen := binary.LittleEndian.Uint64(buf)
	if hlen > uint64(len(buf)-8) {
		return nil, fmt.Errorf("read %s: %w: the header declares %d bytes, the file has %d after the length (not a safetensors or GGUF file?)",
			path, ErrTruncated, hlen, len(buf)-8)
	}
	// Check each tensor's extent ourselves first, so a truncated file names
	// the tensor that is cut.
	var header map[string]json.RawMessage
	if err := json.Unmarshal(buf[8:8+hlen], &header); err != nil {
		return nil, fmt.Errorf("read %s: %w: header is not JSON: %v", path, ErrFormat, err)
	}
	dataLen := uint64(len(buf)) - 8 - hlen
	for name, raw := range header {
		if name == "__metadata__" {
			continue
		}
		var info struct {
			DType   string    `json:"dtype"`
			Shape   []uint64  `json:"shape"`
			Offsets [2]uint64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(raw, &info); err != nil {
			return nil, fmt.Errorf("read %s: tensor %q: %w: %v", path, name, ErrFormat, err)
		}
		size, ok := map[string]uint64{"F32": 4, "F16": 2, "BF16": 2}[info.DType]
		if !ok {
			return nil, fmt.Errorf("read %s: tensor %q: %w: %s (only F32, F16 and BF16 can be read)", path, name, ErrDType, info.DType)
		}
		if info.Offsets[1] > dataLen {
			return nil, fmt.Errorf("read %s: tensor %q: %w: data ends at byte %d, the file holds %d data bytes",
				path, name, ErrTruncated, info.Offsets[1], dataLen)
		}
		elems := uint64(1)
		for _, d := range info.Shape {
			elems *= d
		}
		if info.Offsets[1] < info.Offsets[0] || elems*size != info.Offsets[1]-info.Offsets[0] {
			return nil, fmt.Errorf("read %s: tensor %q: %w: shape %v of %s needs %d bytes, data_offsets %v hold %d",
				path, name, ErrShape, info.Shape, info.DType, elems*size, info.Offsets, int64(info.Offsets[1])-int64(info.Offsets[0]))
		}
	}
	st, err := safetensors.Deserialize(buf)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w: %v", path, ErrFormat, err)
	}
	names := st.Names()
	sort.Strings(names)
	out := make([]Tensor, 0, len(names))
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		tv, _ := st.Tensor(name)
		shape := make([]int, len(tv.Shape()))
		for i, d := range tv.Shape() {
			shape[i] = int(d)
		}
		t := Tensor{Name: name, Shape: shape, DType: tv.DType().String()}
		t.Data, err = decodeFloats(tv.DType().String(), tv.Data())
		if err != nil {
			return nil, fmt.Errorf("read %s: tensor %q: %w", path, name, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func readGGUF(ctx context.Context, path string) ([]Tensor, error) {
	gf, err := gguf.ParseGGUFFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w: %v", path, ErrFormat, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	out := make([]Tensor, 0, len(gf.TensorInfos))
	for _, ti := range gf.TensorInfos {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var dtype string
		switch ti.Type {
		case gguf.GGMLTypeF32:
			dtype = "F32"
		case gguf.GGMLTypeF16:
			dtype = "F16"
		case gguf.GGMLTypeBF16:
			dtype = "BF16"
		default:
			return nil, fmt.Errorf("read %s: tensor %q: %w: %v (only F32, F16 and BF16 can be read; dequantize it first)",
				path, ti.Name, ErrDType, ti.Type)
		}
		nbytes := ti.Bytes()
		start := uint64(gf.TensorDataStartOffset) + ti.Offset
		if start+nbytes > uint64(st.Size()) {
			return nil, fmt.Errorf("read %s: tensor %q: %w: data ends at byte %d, the file has %d",
				path, ti.Name, ErrTruncated, start+nbytes, st.Size())
		}
		raw := make([]byte, nbytes)
		if _, err := f.ReadAt(raw, int64(start)); err != nil {
			return nil, fmt.Errorf("read %s: tensor %q: %w", path, ti.Name, err)
		}
		shape := make([]int, len(ti.Dimensions))
		for i, d := range ti.Dimensions {
			shape[len(shape)-1-i] = int(d) // GGUF lists the innermost dimension first
		}
		t := Tensor{Name: ti.Name, Shape: shape, DType: dtype}
		t.Data, err = decodeFloats(dtype, raw)
		if err != nil {
			return nil, fmt.Errorf("read %s: tensor %q: %w", path, ti.Name, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// decodeFloats converts little-endian F32, F16 or BF16 bytes to float32.
func decodeFloats(dtype string, raw []byte) ([]float32, error) {
	le := binary.LittleEndian
	switch dtype {
	case "F32":
		out := make([]float32, len(raw)/4)
		for i := range out {
			out[i] = math.Float32frombits(le.Uint32(raw[4*i:]))
		}
		return out, nil
	case "F16", "BF16":
		conv := F16ToFloat32
		if dtype == "BF16" {
			conv = BF16ToFloat32
		}
		out := make([]float32, len(raw)/2)
		for i := range out {
			out[i] = conv(le.Uint16(raw[2*i:]))
		}
		return out, nil
	default:
		return nil, fmt.Errorf("%w: %s (only F32, F16 and BF16 can be read)", ErrDType, dtype)
	}
}

// WriteSafetensors writes float32 tensors as an F32 safetensors file.
func WriteSafetensors(w io.Writer, tensors []Tensor) error {
	views := make(map[string]safetensors.TensorView, len(tensors))
	for _, t := range tensors {
		var b bytes.Buffer
		b.Grow(4 * len(t.Data))
		for _, v := range t.Data {
			b.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
		}
		shape := make([]uint64, len(t.Shape))
		for i, d := range t.Shape {
			shape[i] = uint64(d)
		}
		tv, err := safetensors.NewTensorView(safetensors.F32, shape, b.Bytes())
		if err != nil {
			return fmt.Errorf("tensor %q: %w: %v", t.Name, ErrShape, err)
		}
		views[t.Name] = tv
	}
	return safetensors.SerializeToWriter(views, nil, w)
}
