package quantcore

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// Packed-model container ("Q35M"), written by `quant35 pack` and read by
// `quant35 unpack`. Little-endian, no padding:
//
//	magic   [4]byte "Q35M"
//	version uint32  1
//	count   uint32
//	then count times:
//	  nameLen uint32, name [nameLen]byte
//	  kind    uint32   0 = q35 matrix, 1 = raw float32 (tensors kept unquantized)
//	  ndims   uint32   1..8, then dims [ndims]uint32 (row-major, outermost first)
//	  kind 0: group uint32, words [rows*(cols/group)*W]uint32, scales [rows*(cols/group)]uint16
//	          (cols = last dim, rows = product of the others)
//	  kind 1: data [product of dims]float32

const (
	containerMagic   = "Q35M"
	containerVersion = 1
	kindMatrix       = 0
	kindRaw          = 1
	maxDims          = 8
)

// PackedTensor is one tensor of a container: M for quantized matrices, Raw
// for tensors kept as float32 (e.g. 1-D norms and biases).
type PackedTensor struct {
	Name  string
	Shape []int
	M     *Matrix
	Raw   []float32
}

// WriteContainer writes tensors in the Q35M layout.
func WriteContainer(w io.Writer, tensors []PackedTensor) error {
	bw := bufio.NewWriter(w)
	put := func(v any) error { return binary.Write(bw, binary.LittleEndian, v) }
	if _, err := bw.WriteString(containerMagic); err != nil {
		return err
	}
	if err := put([]uint32{containerVersion, uint32(len(tensors))}); err != nil {
		return err
	}
	for _, t := range tensors {
		if len(t.Name) > maxNameLen || len(t.Shape) < 1 || len(t.Shape) > maxDims {
			return fmt.Errorf("tensor %q: %w: name of %d bytes, %d dims", t.Name, ErrShape, len(t.Name), len(t.Shape))
		}
		kind := uint32(kindRaw)
		if t.M != nil {
			kind = kindMatrix
		}
		if err := put(uint32(len(t.Name))); err != nil {
			return err
		}
		if _, err := bw.WriteString(t.Name); err != nil {
			return err
		}
		hdr := []uint32{kind, uint32(len(t.Shape))}
		for _, d := range t.Shape {
			hdr = append(hdr, uint32(d))
		}
		if err := put(hdr); err != nil {
			return err
		}
		if t.M != nil {
			if err := put(uint32(t.M.GroupSize)); err != nil {
				return err
			}
			if err := put(t.M.Words); err != nil {
				return err
			}
			if err := put(t.M.Scales); err != nil {
				return err
			}
			continue
		}
		if err := put(t.Raw); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadContainer reads a Q35M file and validates every matrix.
func ReadContainer(r io.Reader) ([]PackedTensor, error) {
	rd := reader{r: bufio.NewReader(r)}
	magic := rd.bytes(4)
	version := rd.u32()
	n := rd.u32()
	if rd.err != nil {
		return nil, fmt.Errorf("read container header: %w", rd.err)
	}
	if string(magic) != containerMagic || version != containerVersion {
		return nil, fmt.Errorf("read container: %w: magic %q version %d, want %q version %d", ErrFormat, magic, version, containerMagic, containerVersion)
	}
	var out []PackedTensor
	for i := uint32(0); i < n; i++ {
		t, err := readPackedTensor(&rd)
		if err != nil {
			return nil, fmt.Errorf("read container tensor %d: %w", i, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func readPackedTensor(rd *reader) (PackedTensor, error) {
	var t PackedTensor
	nameLen := rd.u32()
	if rd.err == nil && nameLen > maxNameLen {
		return t, fmt.Errorf("%w: name length %d above %d", ErrFormat, nameLen, maxNameLen)
	}
	t.Name = string(rd.bytes(int(nameLen)))
	kind, ndims := rd.u32(), rd.u32()
	if rd.err != nil {
		return t, rd.err
	}
	if ndims < 1 || ndims > maxDims || kind > kindRaw {
		return t, fmt.Errorf("tensor %q: %w: kind %d with %d dims", t.Name, ErrFormat, kind, ndims)
	}
	elems := uint64(1)
	for i := uint32(0); i < ndims; i++ {
		d := rd.u32()
		elems *= uint64(d)
		if elems > maxVectorElems {
			return t, fmt.Errorf("tensor %q: %w: more than %d elements", t.Name, ErrFormat, maxVectorElems)
		}
		t.Shape = append(t.Shape, int(d))
	}
	if rd.err != nil {
		return t, rd.err
	}
	if kind == kindRaw {
		t.Raw = rd.f32s(int(elems))
		if rd.err != nil {
			return t, fmt.Errorf("tensor %q: %w", t.Name, rd.err)
		}
		return t, nil
	}
	if ndims < 2 {
		return t, fmt.Errorf("tensor %q: %w: a quantized matrix needs 2 or more dims", t.Name, ErrFormat)
	}
	cols := t.Shape[ndims-1]
	rows := 0
	if cols > 0 {
		rows = int(elems) / cols
	}
	group := int(rd.u32())
	if rd.err != nil {
		return t, rd.err
	}
	if err := checkShape(t.Name, rows, cols, group); err != nil {
		return t, err
	}
	m := &Matrix{Rows: rows, Cols: cols, GroupSize: group}
	groups := rows * (cols / group)
	m.Words = rd.u32s(groups * m.WordsPerGroup())
	m.Scales = rd.u16s(groups)
	if rd.err != nil {
		return t, fmt.Errorf("tensor %q: %w", t.Name, rd.err)
	}
	if err := m.Validate(); err != nil {
		return t, fmt.Errorf("tensor %q: %w", t.Name, err)
	}
	t.M = m
	return t, nil
}
