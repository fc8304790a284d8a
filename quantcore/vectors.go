package quantcore

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Kernel test-vector file ("Q35V"), all integers and floats little-endian,
// no padding anywhere:
//
//	magic   [4]byte  "Q35V"
//	version uint32   1
//	ncases  uint32
//	then ncases times:
//	  nameLen uint32, name [nameLen]byte (UTF-8, ≤ 256 bytes)
//	  rows, cols, group, batch uint32        (batch 1..32)
//	  words  [rows*(cols/group)*W]uint32      (Matrix.Words, W = WordsPerGroup(group))
//	  scales [rows*(cols/group)]uint16        (Matrix.Scales, fp16 bits)
//	  xscale [batch]float32                   (sx of each batch column)
//	  xq     [batch*cols]int8                 (column b at [b*cols, (b+1)*cols))
//	  x      [batch*cols]float32              (the activations xq was quantized from)
//	  y      [batch*rows]float32              (GEMMInt output, Y[b*rows + r]; compare bit for bit)
//
// A kernel test reads a case, runs its GEMV/GEMM on (words, scales, xq,
// xscale) and compares every y bit for bit; it may also quantize x itself
// and compare against xq and xscale.

const (
	vectorMagic   = "Q35V"
	vectorVersion = 1
	maxNameLen    = 256
	// maxVectorElems bounds rows*cols read from a file so a corrupt header
	// cannot demand an enormous allocation.
	maxVectorElems = 1 << 28
)

// VectorCase is one kernel test vector.
type VectorCase struct {
	Name string
	M    *Matrix
	// X holds the float activations of each batch column; XQ their quantization.
	X  [][]float32
	XQ []QuantizedVector
	// Y is GEMMInt(M, XQ), Y[b*Rows + r].
	Y []float32
}

// NewVectorCase quantizes the activations and computes the expected output.
func NewVectorCase(name string, m *Matrix, xs [][]float32) (VectorCase, error) {
	c := VectorCase{Name: name, M: m, X: xs}
	for b, x := range xs {
		qv, err := QuantizeActivations(x)
		if err != nil {
			return VectorCase{}, fmt.Errorf("case %q, batch column %d: %w", name, b, err)
		}
		c.XQ = append(c.XQ, qv)
	}
	c.Y = make([]float32, len(xs)*m.Rows)
	if err := GEMMInt(m, c.XQ, c.Y); err != nil {
		return VectorCase{}, fmt.Errorf("case %q: %w", name, err)
	}
	return c, nil
}

// WriteVectors writes cases in the Q35V layout.
func WriteVectors(w io.Writer, cases []VectorCase) error {
	bw := bufio.NewWriter(w)
	le := binary.LittleEndian
	put := func(v any) error { return binary.Write(bw, le, v) }
	if _, err := bw.WriteString(vectorMagic); err != nil {
		return err
	}
	if err := put([]uint32{vectorVersion, uint32(len(cases))}); err != nil {
		return err
	}
	for _, c := range cases {
		if len(c.Name) > maxNameLen {
			return fmt.Errorf("case %q: name longer than %d bytes", c.Name, maxNameLen)
		}
		batch := len(c.XQ)
		if batch < 1 || batch > MaxBatch || len(c.X) != batch || len(c.Y) != batch*c.M.Rows {
			return fmt.Errorf("case %q: %w: batch %d with %d activation vectors and %d outputs", c.Name, ErrBatch, batch, len(c.X), len(c.Y))
		}
		m := c.M
		if err := put(uint32(len(c.Name))); err != nil {
			return err
		}
		if _, err := bw.WriteString(c.Name); err != nil {
			return err
		}
		if err := put([]uint32{uint32(m.Rows), uint32(m.Cols), uint32(m.GroupSize), uint32(batch)}); err != nil {
			return err
		}
		if err := put(m.Words); err != nil {
			return err
		}
		if err := put(m.Scales); err != nil {
			return err
		}
		for _, q := range c.XQ {
			if err := put(q.Scale); err != nil {
				return err
			}
		}
		for _, q := range c.XQ {
			if err := put(q.Q); err != nil {
				return err
			}
		}
		for _, x := range c.X {
			if err := put(x); err != nil {
				return err
			}
		}
		if err := put(c.Y); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadVectors reads a Q35V file written by WriteVectors and validates every
// matrix. It does not recompute Y: tests compare it against GEMMInt.
func ReadVectors(r io.Reader) ([]VectorCase, error) {
	br := bufio.NewReader(r)
	rd := reader{r: br}
	magic := rd.bytes(4)
	version := rd.u32()
	n := rd.u32()
	if rd.err != nil {
		return nil, fmt.Errorf("read vectors header: %w", rd.err)
	}
	if string(magic) != vectorMagic || version != vectorVersion {
		return nil, fmt.Errorf("read vectors: %w: magic %q version %d, want %q version %d", ErrFormat, magic, version, vectorMagic, vectorVersion)
	}
	var cases []VectorCase
	for i := uint32(0); i < n; i++ {
		c, err := readVectorCase(&rd)
		if err != nil {
			return nil, fmt.Errorf("read vectors case %d: %w", i, err)
		}
		cases = append(cases, c)
	}
	return cases, nil
}

func readVectorCase(rd *reader) (VectorCase, error) {
	var c VectorCase
	nameLen := rd.u32()
	if rd.err == nil && nameLen > maxNameLen {
		return c, fmt.Errorf("%w: name length %d above %d", ErrFormat, nameLen, maxNameLen)
	}
	c.Name = string(rd.bytes(int(nameLen)))
	rows, cols, group, batch := int(rd.u32()), int(rd.u32()), int(rd.u32()), int(rd.u32())
	if rd.err != nil {
		return c, rd.err
	}
	if err := checkShape(c.Name, rows, cols, group); err != nil {
		return c, err
	}
	if uint64(rows)*uint64(cols) > maxVectorElems {
		return c, fmt.Errorf("case %q: %w: %d×%d is larger than %d weights", c.Name, ErrFormat, rows, cols, maxVectorElems)
	}
	if batch < 1 || batch > MaxBatch {
		return c, fmt.Errorf("case %q: %w: batch %d outside 1..%d", c.Name, ErrBatch, batch, MaxBatch)
	}
	m := &Matrix{Rows: rows, Cols: cols, GroupSize: group}
	groups := rows * (cols / group)
	m.Words = rd.u32s(groups * m.WordsPerGroup())
	m.Scales = rd.u16s(groups)
	c.M = m
	c.XQ = make([]QuantizedVector, batch)
	for b := range c.XQ {
		c.XQ[b].Scale = math.Float32frombits(rd.u32())
	}
	for b := range c.XQ {
		c.XQ[b].Q = rd.i8s(cols)
	}
	c.X = make([][]float32, batch)
	for b := range c.X {
		c.X[b] = rd.f32s(cols)
	}
	c.Y = rd.f32s(batch * rows)
	if rd.err != nil {
		return c, fmt.Errorf("case %q: %w", c.Name, rd.err)
	}
	if err := m.Validate(); err != nil {
		return c, fmt.Errorf("case %q: %w", c.Name, err)
	}
	return c, nil
}

// reader reads little-endian values and keeps the first error; a short read
// becomes ErrTruncated.
type reader struct {
	r   io.Reader
	err error
}

func (rd *reader) bytes(n int) []byte {
	if rd.err != nil {
		return nil
	}
	// Read in chunks so that a header declaring more data than the file
	// holds fails with ErrTruncated before allocating all of it.
	const chunk = 1 << 20
	b := make([]byte, 0, min(n, chunk))
	for len(b) < n {
		k := min(chunk, n-len(b))
		start := len(b)
		b = append(b, make([]byte, k)...)
		if _, err := io.ReadFull(rd.r, b[start:]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = fmt.Errorf("%w: wanted %d more bytes", ErrTruncated, n-start)
			}
			rd.err = err
			return nil
		}
	}
	return b
}

func (rd *reader) u32() uint32 {
	b := rd.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (rd *reader) u32s(n int) []uint32 {
	b := rd.bytes(4 * n)
	if b == nil {
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

func (rd *reader) u16s(n int) []uint16 {
	b := rd.bytes(2 * n)
	if b == nil {
		return nil
	}
	out := make([]uint16, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return out
}

func (rd *reader) f32s(n int) []float32 {
	u := rd.u32s(n)
	if u == nil {
		return nil
	}
	out := make([]float32, n)
	for i, v := range u {
		out[i] = math.Float32frombits(v)
	}
	return out
}

func (rd *reader) i8s(n int) []int8 {
	b := rd.bytes(n)
	if b == nil {
		return nil
	}
	out := make([]int8, n)
	for i := range out {
		out[i] = int8(b[i])
	}
	return out
}
