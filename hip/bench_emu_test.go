package hip

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestBenchProgramOnEmulation builds hip/bench's source for the CPU emulation and runs it on a
// small shape: its host reference, exactness check and report are the ones a GPU run prints, so
// they are exercised here although nothing can be timed.
func TestBenchProgramOnEmulation(t *testing.T) {
	var cxx string
	for _, c := range DefaultCompilers {
		if p, err := exec.LookPath(c); err == nil {
			cxx = p
			break
		}
	}
	if cxx == "" {
		t.Skipf("no C++ compiler among %v", DefaultCompilers)
	}
	dir := t.TempDir()
	if err := writeSources(dir); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bench-emu")
	k := filepath.Join(dir, "kernels")
	build := exec.Command(cxx, "-std=c++20", "-O2", "-pthread", "-ffp-contract=off", "-fno-strict-aliasing",
		"-Wno-unknown-pragmas", "-DQ35_CPU_EMULATION", "-I"+k,
		"-x", "c++", filepath.Join(k, "q35_gemv.hip"), filepath.Join(k, "q35_gemm.hip"),
		"-x", "none", filepath.Join(k, "q35_host.cpp"), filepath.Join(dir, "benchmark", "q35_bench.cpp"), "-o", bin)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build bench for emulation: %v\n%s", err, out)
	}
	tests := []struct {
		args  []string
		exact string
	}{
		{[]string{"--matrix-size", "6x4480", "--iters", "1"}, "6/6"},
		{[]string{"--matrix-size", "5x1024", "--batch", "3", "--group", "128", "--iters", "1"}, "15/15"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		cmd := exec.CommandContext(context.Background(), bin, tt.args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("bench %v: %v\n%s", tt.args, err, out.Bytes())
		}
		if !regexp.MustCompile(`exact: ` + tt.exact + ` sampled outputs bit-identical.*int8 activations: 0 mismatches`).Match(out.Bytes()) {
			t.Errorf("bench %v: want exact %s and no activation mismatch:\n%s", tt.args, tt.exact, out.Bytes())
		}
		if !regexp.MustCompile(`max \|y - fp16 ref\| = [0-9.e+-]+`).Match(out.Bytes()) {
			t.Errorf("bench %v: no FP16-reference error line:\n%s", tt.args, out.Bytes())
		}
	}
	var exit *exec.ExitError
	if err := exec.Command(bin, "--matrix-size", "8x100").Run(); !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("cols not divisible by the group: err = %v, want exit status 2", err)
	}
}
