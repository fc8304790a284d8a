package quantcore

import (
	"math/rand/v2"
	"testing"
)

func TestPairCodeAllLevels(t *testing.T) {
	seen := map[uint8]bool{}
	for a := int8(-5); a <= 5; a++ {
		for b := int8(-5); b <= 5; b++ {
			c := PairCode(a, b)
			if c > MaxCode || seen[c] {
				t.Fatalf("PairCode(%d, %d) = %d: out of range or duplicate", a, b, c)
			}
			seen[c] = true
			if ga, gb := SplitPair(c); ga != a || gb != b {
				t.Fatalf("SplitPair(PairCode(%d, %d)) = %d, %d", a, b, ga, gb)
			}
		}
	}
	if len(seen) != 121 {
		t.Fatalf("%d distinct codes, want 121", len(seen))
	}
}

func TestWordsPerGroup(t *testing.T) {
	for _, tt := range []struct{ g, w int }{{64, 7}, {128, 14}, {32, 4}, {2, 1}, {6, 1}, {10, 2}, {256, 28}} {
		if got := WordsPerGroup(tt.g); got != tt.w {
			t.Errorf("WordsPerGroup(%d) = %d, want %d", tt.g, got, tt.w)
		}
	}
}

func TestPackLayoutKnownBits(t *testing.T) {
	// Codes 1, 2, 3, ... place bit 7j of the stream at the code's LSB.
	codes := make([]uint8, 32)
	codes[0] = 0x7F // bits 0..6
	codes[4] = 0x41 // bits 28..34: straddles words 0 and 1
	codes[31] = 0x01
	words := make([]uint32, 7)
	PackCodes(words, codes)
	want := []uint32{0x7F | 1<<28, 0x4 /* bit 34 → word 1 bit 2 */, 0, 0, 0, 0, 1 << (217 - 192)}
	for i := range want {
		if words[i] != want[i] {
			t.Errorf("word %d = %#08x, want %#08x", i, words[i], want[i])
		}
	}
}

func TestPackUnpackRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for iter := 0; iter < 2000; iter++ {
		n := 1 + rng.IntN(80)
		codes := make([]uint8, n)
		for i := range codes {
			codes[i] = uint8(rng.IntN(MaxCode + 1))
		}
		words := make([]uint32, (CodeBits*n+31)/32)
		for i := range words {
			words[i] = rng.Uint32() // PackCodes must overwrite garbage
		}
		PackCodes(words, codes)
		got := make([]uint8, n)
		UnpackCodes(got, words)
		for i := range codes {
			if got[i] != codes[i] {
				t.Fatalf("n=%d: code %d = %d after round trip, want %d", n, i, got[i], codes[i])
			}
		}
		if rem := CodeBits * n % 32; rem != 0 && words[len(words)-1]>>uint(rem) != 0 {
			t.Fatalf("n=%d: padding bits not zero: %#08x", n, words[len(words)-1])
		}
	}
}

func TestPackLevelsMatchesPackCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, g := range []int{2, 6, 10, 32, 64, 128, 192} {
		levels := make([]int8, g)
		for i := range levels {
			levels[i] = int8(rng.IntN(NumLevels) - MaxLevel)
		}
		codes := make([]uint8, g/2)
		for j := range codes {
			codes[j] = PairCode(levels[2*j], levels[2*j+1])
		}
		want := make([]uint32, WordsPerGroup(g))
		PackCodes(want, codes)
		got := make([]uint32, WordsPerGroup(g))
		packLevels(got, levels)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("G=%d: word %d = %#x, want %#x", g, i, got[i], want[i])
			}
		}
	}
}
