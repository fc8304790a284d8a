package quantcore

import (
	"fmt"
	"math"
	"sort"
)

// Format is one quantization format compared on the same tensors: it
// quantizes and dequantizes a row-major matrix and reports its storage cost.
type Format interface {
	// Name is a short label such as "q35-g64" or "int4-g128".
	Name() string
	// BitsPerWeight is the storage cost including scales, for a tensor of n
	// weights (n matters only for per-tensor scales).
	BitsPerWeight(n int) float64
	// QuantDequant returns the reconstruction of w. name is for errors only.
	QuantDequant(name string, w []float32, rows, cols int) ([]float32, error)
}

// EvalFormats is the set `quant35 eval` reports: q35 at group g with and
// without clip search, the 4+3 split at g, INT4 and INT3 at group 128, NF4
// at block 64 and FP8 E4M3 with a per-tensor scale.
func EvalFormats(g int) []Format {
	return []Format{
		Q35Format{Group: g}, Q35Format{Group: g, ClipSearch: true}, Split43Format{Group: g},
		IntFormat{Bits: 4, Group: 128}, IntFormat{Bits: 3, Group: 128}, NF4Format{Block: 64}, FP8E4M3Format{},
	}
}

// TableFormats is every format at one group size, for the SQNR table.
func TableFormats(g int) []Format {
	return []Format{
		Q35Format{Group: g}, Q35Format{Group: g, ClipSearch: true}, Split43Format{Group: g},
		IntFormat{Bits: 4, Group: g}, IntFormat{Bits: 3, Group: g}, NF4Format{Block: g}, FP8E4M3Format{},
	}
}

// checkInput validates shape, group (g = 0: none) and finiteness for every format.
func checkInput(name string, w []float32, rows, cols, g int) error {
	if g == 0 && (rows <= 0 || cols <= 0) {
		return fmt.Errorf("tensor %q: %w: %d×%d has no weights", name, ErrShape, rows, cols)
	}
	if g != 0 {
		if err := checkShape(name, rows, cols, g); err != nil {
			return err
		}
	}
	if len(w) != rows*cols {
		return fmt.Errorf("tensor %q: %w: %d values for a %d×%d matrix (want %d)", name, ErrShape, len(w), rows, cols, rows*cols)
	}
	if i := firstNonFinite(w); i >= 0 {
		return fmt.Errorf("tensor %q: %w: %v at row %d, column %d", name, ErrNonFinite, w[i], i/cols, i%cols)
	}
	return nil
}

// Q35Format is the package's own format.
type Q35Format struct {
	Group      int
	ClipSearch bool
}

func (f Q35Format) Name() string {
	if f.ClipSearch {
		return fmt.Sprintf("q35-g%d-clip", f.Group)
	}
	return fmt.Sprintf("q35-g%d", f.Group)
}

func (f Q35Format) BitsPerWeight(int) float64 { return Q35BitsPerWeight(f.Group) }

func (f Q35Format) QuantDequant(name string, w []float32, rows, cols int) ([]float32, error) {
	m, err := QuantizeMatrix(name, w, rows, cols, Options{GroupSize: f.Group, ClipSearch: f.ClipSearch})
	if err != nil {
		return nil, err
	}
	return m.Dequantize(), nil
}

// Split43Format is the comparison variant: a 7-bit pair of a 4-bit and a
// 3-bit level sharing one fp16 scale s = max|w|/7 (rounded up). The even
// weight has levels -8..7 with step s, the odd weight levels -4..3 with step
// 2s. Same storage as q35.
type Split43Format struct{ Group int }

func (f Split43Format) Name() string              { return fmt.Sprintf("split43-g%d", f.Group) }
func (f Split43Format) BitsPerWeight(int) float64 { return Q35BitsPerWeight(f.Group) }

func (f Split43Format) QuantDequant(name string, w []float32, rows, cols int) ([]float32, error) {
	if err := checkInput(name, w, rows, cols, f.Group); err != nil {
		return nil, err
	}
	out := make([]float32, len(w))
	for g0 := 0; g0 < len(w); g0 += f.Group {
		group := w[g0 : g0+f.Group]
		sb, ok := F16RoundUp(float64(maxAbs(group)) / 7)
		if !ok {
			return nil, fmt.Errorf("tensor %q: %w in group at %d", name, ErrScaleOverflow, g0)
		}
		s := F16ToFloat64(sb)
		for i, v := range group {
			step, lo, hi := s, -8.0, 7.0
			if i%2 == 1 {
				step, lo, hi = 2*s, -4, 3
			}
			if step == 0 {
				continue
			}
			q := max(lo, min(hi, math.Round(float64(v)/step)))
			out[g0+i] = float32(q * step)
		}
	}
	return out, nil
}

// IntFormat is symmetric round-to-nearest INTb with an fp16 scale per group:
// levels -(2^(b-1)-1)..2^(b-1)-1, s = max|w|/(2^(b-1)-1) rounded up.
type IntFormat struct{ Bits, Group int }

func (f IntFormat) Name() string { return fmt.Sprintf("int%d-g%d", f.Bits, f.Group) }
func (f IntFormat) BitsPerWeight(int) float64 {
	return float64(f.Bits) + 16/float64(f.Group)
}

func (f IntFormat) QuantDequant(name string, w []float32, rows, cols int) ([]float32, error) {
	if err := checkInput(name, w, rows, cols, f.Group); err != nil {
		return nil, err
	}
	qmax := float64(int(1)<<(f.Bits-1) - 1)
	out := make([]float32, len(w))
	for g0 := 0; g0 < len(w); g0 += f.Group {
		group := w[g0 : g0+f.Group]
		sb, ok := F16RoundUp(float64(maxAbs(group)) / qmax)
		if !ok {
			return nil, fmt.Errorf("tensor %q: %w in group at %d", name, ErrScaleOverflow, g0)
		}
		s := F16ToFloat64(sb)
		if s == 0 {
			continue
		}
		for i, v := range group {
			q := max(-qmax, min(qmax, math.Round(float64(v)/s)))
			out[g0+i] = float32(q) * float32(s)
		}
	}
	return out, nil
}

// nf4Levels are the 16 NF4 levels of bitsandbytes (QLoRA), sorted.
var nf4Levels = [16]float64{
	-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
	-0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
	0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
	0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
}

// NF4Format is NF4 with an fp32 absmax per block (no double quantization):
// 4 + 32/Block bits per weight.
type NF4Format struct{ Block int }

func (f NF4Format) Name() string { return fmt.Sprintf("nf4-b%d", f.Block) }
func (f NF4Format) BitsPerWeight(int) float64 {
	return 4 + 32/float64(f.Block)
}

func (f NF4Format) QuantDequant(name string, w []float32, rows, cols int) ([]float32, error) {
	if err := checkInput(name, w, rows, cols, f.Block); err != nil {
		return nil, err
	}
	out := make([]float32, len(w))
	for g0 := 0; g0 < len(w); g0 += f.Block {
		group := w[g0 : g0+f.Block]
		am := float64(maxAbs(group))
		if am == 0 {
			continue
		}
		for i, v := range group {
			out[g0+i] = float32(nearestLevel(nf4Levels[:], float64(v)/am) * am)
		}
	}
	return out, nil
}

// nearestLevel returns the element of the sorted levels closest to v (ties
// to the lower level).
func nearestLevel(levels []float64, v float64) float64 {
	i := sort.SearchFloat64s(levels, v)
	switch {
	case i == 0:
		return levels[0]
	case i == len(levels):
		return levels[len(levels)-1]
	case v-levels[i-1] <= levels[i]-v:
		return levels[i-1]
	default:
		return levels[i]
	}
}

// FP8E4M3Format is FP8 E4M3 (OCP, finite max 448, no infinities) with one
// fp32 scale per tensor s = max|w|/448; values round to nearest, ties to even.
type FP8E4M3Format struct{}

func (FP8E4M3Format) Name() string { return "fp8-e4m3" }
func (FP8E4M3Format) BitsPerWeight(n int) float64 {
	if n <= 0 {
		return 8
	}
	return 8 + 32/float64(n)
}

func (f FP8E4M3Format) QuantDequant(name string, w []float32, rows, cols int) ([]float32, error) {
	if err := checkInput(name, w, rows, cols, 0); err != nil {
		return nil, err
	}
	out := make([]float32, len(w))
	am := float64(maxAbs(w))
	if am == 0 {
		return out, nil
	}
	s := float32(am / 448)
	for i, v := range w {
		out[i] = float32(RoundE4M3(float64(v)/float64(s))) * s
	}
	return out, nil
}

// e4m3Values are the non-negative finite E4M3 values in code order (codes
// 0x00..0x7E), which is also increasing order.
var e4m3Values = func() []float64 {
	vals := make([]float64, 0x7F)
	for c := range vals {
		e, m := c>>3, c&7
		if e == 0 {
			vals[c] = float64(m) / 8 * math.Pow(2, -6)
		} else {
			vals[c] = (1 + float64(m)/8) * math.Pow(2, float64(e-7))
		}
	}
	return vals
}()

// RoundE4M3 rounds v to the nearest FP8 E4M3 value, ties to the even code,
// saturating at ±448.
func RoundE4M3(v float64) float64 {
	a := math.Abs(v)
	i := sort.SearchFloat64s(e4m3Values, a)
	var r float64
	switch {
	case i == len(e4m3Values):
		r = 448
	case e4m3Values[i] == a || i == 0:
		r = e4m3Values[i]
	default:
		lo, hi := e4m3Values[i-1], e4m3Values[i]
		switch {
		case a-lo < hi-a:
			r = lo
		case a-lo > hi-a:
			r = hi
		case (i-1)%2 == 0:
			r = lo
		default:
			r = hi
		}
	}
	return math.Copysign(r, v)
}
