package quantcore

import "fmt"

// Pair codes and their bit packing (see the package documentation).

const (
	// MaxLevel is the largest level magnitude: levels are -5..5.
	MaxLevel = 5
	// NumLevels is the number of levels per weight.
	NumLevels = 2*MaxLevel + 1
	// MaxCode is the largest valid pair code, 11*10 + 10.
	MaxCode = NumLevels*NumLevels - 1
	// CodeBits is the width of one pair code.
	CodeBits = 7
	// DefaultGroupSize is the group size used when Options.GroupSize is 0.
	DefaultGroupSize = 64
)

// PairCode returns the 7-bit code of two levels q0, q1 in -5..5.
func PairCode(q0, q1 int8) uint8 {
	return uint8(int(q0)+MaxLevel)*NumLevels + uint8(int(q1)+MaxLevel)
}

// SplitPair returns the two levels of a pair code c in 0..120.
func SplitPair(c uint8) (q0, q1 int8) {
	return int8(c/NumLevels) - MaxLevel, int8(c%NumLevels) - MaxLevel
}

// WordsPerGroup is W = ceil(7*(G/2)/32), the 32-bit words one group of G
// weights occupies.
func WordsPerGroup(groupSize int) int {
	return (CodeBits*(groupSize/2) + 31) / 32
}

// PackCodes writes codes (each < 128) into words as an LSB-first bit stream:
// code j occupies bits [7j, 7j+7). words must have exactly
// ceil(7*len(codes)/32) entries; it is overwritten, so unused high bits are
// zero.
func PackCodes(words []uint32, codes []uint8) {
	clear(words)
	for j, c := range codes {
		bit := CodeBits * j
		w, sh := bit/32, uint(bit%32)
		words[w] |= uint32(c&0x7F) << sh
		if sh > 32-CodeBits {
			words[w+1] |= uint32(c&0x7F) >> (32 - sh)
		}
	}
}

// UnpackCodes reads len(codes) 7-bit codes from words, the inverse of PackCodes.
func UnpackCodes(codes []uint8, words []uint32) {
	for j := range codes {
		bit := CodeBits * j
		w, sh := bit/32, uint(bit%32)
		v := words[w] >> sh
		if sh > 32-CodeBits {
			v |= words[w+1] << (32 - sh)
		}
		codes[j] = uint8(v & 0x7F)
	}
}

// checkGroupWords reports whether the words of one group hold only valid
// codes (≤ 120) and zero padding bits.
func checkGroupWords(words []uint32, groupSize int) error {
	n := groupSize / 2
	codes := make([]uint8, n)
	UnpackCodes(codes, words)
	for j, c := range codes {
		if c > MaxCode {
			return fmt.Errorf("%w: code %d at pair %d is above %d", ErrCode, c, j, MaxCode)
		}
	}
	used := CodeBits * n
	if rem := used % 32; rem != 0 {
		if pad := words[len(words)-1] >> uint(rem); pad != 0 {
			return fmt.Errorf("%w: padding bits of the last word are %#x, want 0", ErrCode, pad)
		}
	}
	return nil
}
