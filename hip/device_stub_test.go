//go:build !hip || !cgo

package hip

import (
	"context"
	"errors"
	"testing"
)

func TestStubReportsNoDevice(t *testing.T) {
	if _, err := Open(); !errors.Is(err, ErrNoDevice) {
		t.Fatalf("Open: err = %v, want ErrNoDevice", err)
	}
	var d Device
	if err := d.GEMMInt(context.Background(), nil, nil, nil); !errors.Is(err, ErrNoDevice) {
		t.Errorf("GEMMInt: err = %v, want ErrNoDevice", err)
	}
	if _, err := d.GEMM(context.Background(), nil, nil, nil); !errors.Is(err, ErrNoDevice) {
		t.Errorf("GEMM: err = %v, want ErrNoDevice", err)
	}
}
