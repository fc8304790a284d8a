package quantcore

import "fmt"

// GEMVIntFast computes the same integers as GEMVInt through tables of
// decoded pairs, and is therefore bit-identical to it.
//
// For an activation vector xq, pair position p (columns 2p, 2p+1) gets a
// 128-entry table T[p][c] = a(c)*xq[2p] + b(c)*xq[2p+1] over all pair codes c
// (|T| ≤ 1270, stored biased as uint16). A group's accumulator is then one
// table load and one add per pair: Σ_p T[p][code_p] = Σ_i q[i]*xq[i] exactly.
// The tables cost 121 multiply-adds per pair position, amortized over all
// rows. For G a multiple of 64, the 7 words of each 64-weight block are read
// as four 56-bit chunks of 8 codes with constant shifts (unrolled word
// handling). Entries for the unused codes 121..127 are zero, so a corrupt
// matrix gives wrong sums but never an out-of-range access.

// tableBias is added to every table entry so that entries are unsigned:
// the Go compiler folds a constant offset into zero-extending indexed loads
// (MOVWLZX off(base)(idx*1)) but not into sign-extending ones, which costs an
// extra LEAQ per lookup. Entries lie in 2048 ± 1270; the bias is subtracted
// once per block (exact in int32).
const tableBias = 2048

// pairTables builds T (biased) for one activation vector.
func pairTables(xq []int8) [][128]uint16 {
	t := make([][128]uint16, len(xq)/2)
	for p := range t {
		x0, x1 := int16(xq[2*p]), int16(xq[2*p+1])
		row := &t[p]
		for a := int16(0); a < NumLevels; a++ {
			base := (a-MaxLevel)*x0 + tableBias
			for b := int16(0); b < NumLevels; b++ {
				row[a*NumLevels+b] = uint16(base + (b-MaxLevel)*x1)
			}
		}
	}
	return t
}

// accBlockRows adds, for n rows, the accumulator of one 64-weight block
// whose 7 words start at words[0] for the first row and advance by stride.
func accBlockRows(words []uint32, stride, n int, t *[32][128]uint16, acc []int32) {
	for r := 0; r < n; r++ {
		w := (*[7]uint32)(words[r*stride : r*stride+7])
		lo := uint64(w[0]) | uint64(w[1])<<32
		mid := uint64(w[2]) | uint64(w[3])<<32
		hi := uint64(w[4]) | uint64(w[5])<<32
		top := uint64(w[6])
		c := lo
		a0 := uint32(t[0][c&127]) + uint32(t[1][c>>7&127]) + uint32(t[2][c>>14&127]) + uint32(t[3][c>>21&127])
		a1 := uint32(t[4][c>>28&127]) + uint32(t[5][c>>35&127]) + uint32(t[6][c>>42&127]) + uint32(t[7][c>>49&127])
		c = lo>>56 | mid<<8
		a0 += uint32(t[8][c&127]) + uint32(t[9][c>>7&127]) + uint32(t[10][c>>14&127]) + uint32(t[11][c>>21&127])
		a1 += uint32(t[12][c>>28&127]) + uint32(t[13][c>>35&127]) + uint32(t[14][c>>42&127]) + uint32(t[15][c>>49&127])
		c = mid>>48 | hi<<16
		a0 += uint32(t[16][c&127]) + uint32(t[17][c>>7&127]) + uint32(t[18][c>>14&127]) + uint32(t[19][c>>21&127])
		a1 += uint32(t[20][c>>28&127]) + uint32(t[21][c>>35&127]) + uint32(t[22][c>>42&127]) + uint32(t[23][c>>49&127])
		c = hi>>40 | top<<24
		a0 += uint32(t[24][c&127]) + uint32(t[25][c>>7&127]) + uint32(t[26][c>>14&127]) + uint32(t[27][c>>21&127])
		a1 += uint32(t[28][c>>28&127]) + uint32(t[29][c>>35&127]) + uint32(t[30][c>>42&127]) + uint32(t[31][c>>49&127])
		acc[r] += int32(a0+a1) - 32*tableBias
	}
}

// gemvTiled64 handles G a multiple of 64. Rows are taken in chunks of
// rowChunk; within a chunk the loop runs over groups outside and rows inside,
// so the 8 KiB of tables of one 64-weight block stay in L1 while every row of
// the chunk uses them.
func gemvTiled64(m *Matrix, t [][128]uint16, sx float32, y []float32) {
	const chunk = rowChunk
	gpr := m.GroupsPerRow()
	wpg := m.WordsPerGroup()
	rowWords := gpr * wpg
	pairs := m.GroupSize / 2
	blocks := m.GroupSize / 64
	partials := make([]float32, chunk*gpr)
	acc := make([]int32, chunk)
	for r0 := 0; r0 < m.Rows; r0 += chunk {
		n := min(m.Rows, r0+chunk) - r0
		for g := 0; g < gpr; g++ {
			clear(acc)
			for b := 0; b < blocks; b++ {
				p0 := g*pairs + 32*b
				tp := (*[32][128]uint16)(t[p0 : p0+32])
				start := r0*rowWords + g*wpg + 7*b
				accBlockRows(m.Words[start:], rowWords, n, tp, acc[:n])
			}
			for i := 0; i < n; i++ {
				partials[i*gpr+g] = float32(acc[i]) * scaleToFloat32(m.Scales[(r0+i)*gpr+g])
			}
		}
		for i := 0; i < n; i++ {
			y[r0+i] = reduceLanes(partials[i*gpr:(i+1)*gpr]) * sx
		}
	}
}

// GEMVIntFast is GEMVInt computed fast; the result is bit-identical. The
// matrix must be valid (codes ≤ 120), as QuantizeMatrix and ReadContainer
// guarantee.
func GEMVIntFast(m *Matrix, x QuantizedVector, y []float32) error {
	if err := checkGEMV(m, len(x.Q), len(y), m.Rows); err != nil {
		return err
	}
	t := pairTables(x.Q)
	gemvTables(m, t, x.Scale, y)
	return nil
}

// GEMMIntFast is GEMMInt computed with GEMVIntFast per batch column.
func GEMMIntFast(m *Matrix, xs []QuantizedVector, y []float32) error {
	if len(xs) < 1 || len(xs) > MaxBatch {
		return fmt.Errorf("%w: batch %d outside 1..%d", ErrBatch, len(xs), MaxBatch)
	}
	if len(y) != len(xs)*m.Rows {
		return fmt.Errorf("%w: output length %d, want %d×%d", ErrShape, len(y), len(xs), m.Rows)
	}
	for b, x := range xs {
		if err := GEMVIntFast(m, x, y[b*m.Rows:(b+1)*m.Rows]); err != nil {
			return fmt.Errorf("batch column %d: %w", b, err)
		}
	}
	return nil
}

// rowChunk is the number of rows that share one pass over the tables.
const rowChunk = 32

func gemvTables(m *Matrix, t [][128]uint16, sx float32, y []float32) {
	if m.GroupSize%64 == 0 {
		gemvTiled64(m, t, sx, y)
		return
	}
	gpr := m.GroupsPerRow()
	wpg := m.WordsPerGroup()
	pairs := m.GroupSize / 2
	partials := make([]float32, gpr)
	codes := make([]uint8, pairs)
	for r := 0; r < m.Rows; r++ {
		for g := 0; g < gpr; g++ {
			gi := r*gpr + g
			words := m.Words[gi*wpg : (gi+1)*wpg]
			p0 := g * pairs
			var acc int32
			UnpackCodes(codes, words)
			for j, c := range codes {
				acc += int32(t[p0+j][c&127]) - tableBias
			}
			partials[g] = float32(acc) * scaleToFloat32(m.Scales[gi])
		}
		y[r] = reduceLanes(partials) * sx
	}
}
