//go:build hip && cgo

package hip

import (
	"context"
	"errors"
	"testing"
)

// TestDeviceMatchesQuantcore runs the real kernels where a GPU exists; without one it checks
// that Open fails with ErrNoDevice and skips.
func TestDeviceMatchesQuantcore(t *testing.T) {
	d, err := Open()
	if errors.Is(err, ErrNoDevice) {
		t.Skipf("no GPU: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	matched := 0
	cases := buildCases(t)
	for _, c := range cases {
		r := EmulatedCase{FromInt8: make([]float32, len(c.Y)), FromFloat: make([]float32, len(c.Y))}
		if err := d.GEMMInt(context.Background(), c.M, c.XQ, r.FromInt8); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		xq, err := d.GEMM(context.Background(), c.M, c.X, r.FromFloat)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		for _, q := range xq {
			r.XQ = append(r.XQ, q.Q)
			r.XScale = append(r.XScale, q.Scale)
		}
		if bad := Mismatches(c, r, 8); len(bad) > 0 {
			for _, b := range bad {
				t.Error(b)
			}
			continue
		}
		matched++
	}
	t.Logf("%s GPU: %d of %d cases matched quantcore bit for bit", d.Platform(), matched, len(cases))
}
