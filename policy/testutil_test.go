package policy_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedTraces returns the directory of the shared Mathlib traces, or skips
// the test when this checkout has none (a fresh clone).
func sharedTraces(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory")
		}
		dir = parent
	}
	traces := filepath.Join(dir, "..", "shared", "data", "traces")
	if _, err := os.Stat(filepath.Join(traces, "mathlib-f8b56ceb-random-val.json")); err != nil {
		t.Skipf("shared Mathlib traces not found at %s (a fresh clone has none); skipping", traces)
	}
	return traces
}
