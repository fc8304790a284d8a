package quantcore

import (
	"fmt"
	"math"
)

// Options controls QuantizeMatrix. The zero value is the default format
// (G = 64, no clip search).
type Options struct {
	// GroupSize is G, the weights per scale; 0 means DefaultGroupSize. It must
	// be even and divide Cols.
	GroupSize int
	// ClipSearch picks, per group, the scale among 0.5..1.0 × the absmax scale
	// that minimizes the group's squared error (see the package documentation).
	ClipSearch bool
}

func (o Options) groupSize() int {
	if o.GroupSize == 0 {
		return DefaultGroupSize
	}
	return o.GroupSize
}

// Matrix is a quantized Rows × Cols weight matrix in the q35 format.
type Matrix struct {
	Rows, Cols, GroupSize int
	// Words holds the packed pair codes, group after group, row after row.
	Words []uint32
	// Scales holds one fp16 scale (bits) per group, index r*(Cols/G)+g.
	Scales []uint16
}

// GroupsPerRow is Cols / GroupSize.
func (m *Matrix) GroupsPerRow() int { return m.Cols / m.GroupSize }

// WordsPerGroup is the number of 32-bit words per group.
func (m *Matrix) WordsPerGroup() int { return WordsPerGroup(m.GroupSize) }

// BitsPerWeight is the storage cost of the format including scales.
func (m *Matrix) BitsPerWeight() float64 { return Q35BitsPerWeight(m.GroupSize) }

// Q35BitsPerWeight is (32*W + 16)/G: packed words plus one fp16 scale per group.
func Q35BitsPerWeight(groupSize int) float64 {
	return float64(32*WordsPerGroup(groupSize)+16) / float64(groupSize)
}

// checkShape validates the sizes shared by QuantizeMatrix and Validate.
func checkShape(name string, rows, cols, groupSize int) error {
	if rows <= 0 || cols <= 0 {
		return fmt.Errorf("tensor %q: %w: %d×%d has no weights", name, ErrShape, rows, cols)
	}
	if groupSize <= 0 || groupSize%2 != 0 {
		return fmt.Errorf("tensor %q: %w: group size %d must be positive and even", name, ErrGroupSize, groupSize)
	}
	if cols%groupSize != 0 {
		return fmt.Errorf("tensor %q: %w: group size %d does not divide the row length %d (choose a divisor of %d)",
			name, ErrGroupSize, groupSize, cols, cols)
	}
	return nil
}

// Validate checks the sizes of m's slices, every code and padding bit, and
// that every scale is finite and non-negative.
func (m *Matrix) Validate() error {
	if err := checkShape("matrix", m.Rows, m.Cols, m.GroupSize); err != nil {
		return err
	}
	groups := m.Rows * m.GroupsPerRow()
	wpg := m.WordsPerGroup()
	if len(m.Words) != groups*wpg {
		return fmt.Errorf("%w: %d words, want %d for %d×%d at G=%d", ErrShape, len(m.Words), groups*wpg, m.Rows, m.Cols, m.GroupSize)
	}
	if len(m.Scales) != groups {
		return fmt.Errorf("%w: %d scales, want %d", ErrShape, len(m.Scales), groups)
	}
	for g := 0; g < groups; g++ {
		if s := m.Scales[g]; s&0x8000 != 0 || s > f16MaxBits {
			return fmt.Errorf("%w: scale %d of group %d is negative or not finite", ErrCode, s, g)
		}
		if err := checkGroupWords(m.Words[g*wpg:(g+1)*wpg], m.GroupSize); err != nil {
			return fmt.Errorf("group %d (row %d): %w", g, g/m.GroupsPerRow(), err)
		}
	}
	return nil
}

// GroupScale returns the fp16 scale of a group whose largest magnitude is
// maxAbs: maxAbs/5 rounded up to fp16. ok is false if it overflows fp16.
func GroupScale(maxAbs float32) (scale uint16, ok bool) {
	return F16RoundUp(float64(maxAbs) / MaxLevel)
}

// QuantizeLevel is q = clamp(roundHalfAwayFromZero(w/s), -5, 5) in float64;
// s = 0 gives 0.
func QuantizeLevel(w float32, scale uint16) int8 {
	s := F16ToFloat64(scale)
	if s == 0 {
		return 0
	}
	q := math.Round(float64(w) / s)
	return int8(max(-MaxLevel, min(MaxLevel, q)))
}

// roundHalfAway is int(math.Round(x)) (round half away from zero) for
// |x| < 2^62, branch-free: int(x) truncates toward zero, f = x - trunc(x) is
// exact and in (-1, 1), and int(2f) is exactly -1, 0 or 1 as f ≤ -0.5,
// |f| < 0.5 or f ≥ 0.5.
func roundHalfAway(x float64) int {
	i := int(x)
	return i + int(2*(x-float64(i)))
}

// quantizeGroup is QuantizeLevel over a group with the scale widened once.
func quantizeGroup(levels []int8, group []float32, scale uint16) {
	s := F16ToFloat64(scale)
	if s == 0 {
		clear(levels)
		return
	}
	for i, v := range group {
		// |w/s| ≤ 10 even with clip search (s ≥ max|w|/10), so the int
		// conversion is exact; clamping ints avoids float min/max.
		q := roundHalfAway(float64(v) / s)
		levels[i] = int8(max(-MaxLevel, min(MaxLevel, q)))
	}
}

// DequantizeLevel is float32(q) * float32(s).
func DequantizeLevel(q int8, scale uint16) float32 {
	return float32(q) * F16ToFloat32(scale)
}

// QuantizeMatrix quantizes a row-major rows × cols float32 matrix. name is
// used in error messages only. NaN and ±Inf are rejected with the position.
func QuantizeMatrix(name string, w []float32, rows, cols int, opts Options) (*Matrix, error) {
	g := opts.groupSize()
	if err := checkShape(name, rows, cols, g); err != nil {
		return nil, err
	}
	if len(w) != rows*cols {
		return nil, fmt.Errorf("tensor %q: %w: %d values for a %d×%d matrix (want %d)", name, ErrShape, len(w), rows, cols, rows*cols)
	}
	m := &Matrix{Rows: rows, Cols: cols, GroupSize: g}
	groups := rows * (cols / g)
	wpg := WordsPerGroup(g)
	m.Words = make([]uint32, groups*wpg)
	m.Scales = make([]uint16, groups)
	levels := make([]int8, g)
	for gi := 0; gi < groups; gi++ {
		group := w[gi*g : (gi+1)*g]
		// Checked per group, so the group is still in cache for the passes below.
		if i := firstNonFinite(group); i >= 0 {
			i += gi * g
			return nil, fmt.Errorf("tensor %q: %w: %v at row %d, column %d", name, ErrNonFinite, w[i], i/cols, i%cols)
		}
		scale, err := chooseScale(group, opts.ClipSearch)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: row %d, group %d: %w", name, gi/(cols/g), gi%(cols/g), err)
		}
		m.Scales[gi] = scale
		quantizeGroup(levels, group, scale)
		packLevels(m.Words[gi*wpg:(gi+1)*wpg], levels)
	}
	return m, nil
}

// maxAbs is max |v| for finite values: non-negative float32 bit patterns
// order like their values, so it compares bits with the sign cleared.
func maxAbs(group []float32) float32 {
	var mx uint32
	for _, v := range group {
		mx = max(mx, math.Float32bits(v)&0x7FFFFFFF)
	}
	return math.Float32frombits(mx)
}

// packLevels writes the pair codes of a group's levels into its words,
// exactly as PairCode followed by PackCodes, through a 64-bit bit buffer.
func packLevels(words []uint32, levels []int8) {
	var buf uint64
	var nbits uint
	k := 0
	for j := 0; j+1 < len(levels); j += 2 {
		buf |= uint64(PairCode(levels[j], levels[j+1])) << nbits
		nbits += CodeBits
		if nbits >= 32 {
			words[k] = uint32(buf)
			k++
			buf >>= 32
			nbits -= 32
		}
	}
	if nbits > 0 {
		words[k] = uint32(buf)
	}
}

// firstNonFinite returns the index of the first NaN or ±Inf in w, or -1.
func firstNonFinite(w []float32) int {
	for i, v := range w {
		if math.Float32bits(v)&0x7F800000 == 0x7F800000 {
			return i
		}
	}
	return -1
}

// clipSearchSteps: candidates are (1 - k/40) × absmax for k = 0..20.
const clipSearchSteps = 20

func chooseScale(group []float32, clipSearch bool) (uint16, error) {
	mx := maxAbs(group)
	base, ok := GroupScale(mx)
	if !ok {
		return 0, fmt.Errorf("%w: max |w| = %g exceeds %g", ErrScaleOverflow, mx, MaxLevel*F16MaxFinite)
	}
	if !clipSearch || base == 0 {
		return base, nil
	}
	best, bestErr := base, groupSquaredError(group, base)
	for k := 1; k <= clipSearchSteps; k++ {
		s, _ := F16RoundUp(float64(mx) * (1 - float64(k)/40) / MaxLevel)
		if s == 0 {
			continue
		}
		if e := groupSquaredError(group, s); e < bestErr {
			best, bestErr = s, e
		}
	}
	return best, nil
}

// groupSquaredError is Σ (w - dequant(quant(w)))² for a nonzero scale, with
// the scale widened once (same arithmetic as QuantizeLevel/DequantizeLevel).
func groupSquaredError(group []float32, scale uint16) float64 {
	s := F16ToFloat64(scale)
	s32 := float32(s)
	var sum float64
	for _, v := range group {
		q := max(-MaxLevel, min(MaxLevel, roundHalfAway(float64(v)/s)))
		d := float64(v) - float64(float32(q)*s32)
		sum += d * d
	}
	return sum
}

// LevelsOfGroup unpacks group gi (row-major group index) into dst (length G).
func (m *Matrix) LevelsOfGroup(dst []int8, gi int) {
	wpg := m.WordsPerGroup()
	words := m.Words[gi*wpg : (gi+1)*wpg]
	// Same bit walk as UnpackCodes, without a codes buffer.
	var buf uint64
	var nbits uint
	k := 0
	for j := 0; j < m.GroupSize/2; j++ {
		if nbits < CodeBits {
			buf |= uint64(words[k]) << nbits
			k++
			nbits += 32
		}
		dst[2*j], dst[2*j+1] = SplitPair(uint8(buf & 0x7F))
		buf >>= CodeBits
		nbits -= CodeBits
	}
}

// Levels returns all levels, row-major (Rows*Cols values in -5..5).
func (m *Matrix) Levels() []int8 {
	out := make([]int8, m.Rows*m.Cols)
	for gi := 0; gi < len(m.Scales); gi++ {
		m.LevelsOfGroup(out[gi*m.GroupSize:(gi+1)*m.GroupSize], gi)
	}
	return out
}

// Dequantize returns the row-major float32 matrix float32(q) * float32(s).
func (m *Matrix) Dequantize() []float32 {
	lv := m.Levels()
	out := make([]float32, len(lv))
	for i, q := range lv {
		out[i] = DequantizeLevel(q, m.Scales[i/m.GroupSize])
	}
	return out
}
