// Package testenv finds what tests need from outside the repository and
// skips, with a message that says why, when it is not there: the shared
// Mathlib traces (../shared/data/traces beside the checkout, absent from a
// user's fresh clone) and a Lean toolchain. WriteFiles writes the small
// projects tests build themselves.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TraceFiles are the shared trace files, in the order tests load them.
var TraceFiles = []string{"mathlib-f8b56ceb-random-val.json", "mathlib-29dcec07-random-train-sample.json"}

// RepoRoot returns the directory holding go.mod above the test's working
// directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory")
		}
		dir = parent
	}
}

// SharedTraces returns the directory of the shared Mathlib traces, or skips
// the test when this checkout lacks any of TraceFiles.
func SharedTraces(t testing.TB) string {
	t.Helper()
	traces := filepath.Join(RepoRoot(t), "..", "shared", "data", "traces")
	for _, f := range TraceFiles {
		if _, err := os.Stat(filepath.Join(traces, f)); err != nil {
			t.Skipf("shared Mathlib trace %s not found in %s (a fresh clone has none); skipping", f, traces)
		}
	}
	return traces
}

// SharedTraceFiles returns the paths of every shared trace file, or skips.
func SharedTraceFiles(t testing.TB) []string {
	t.Helper()
	dir := SharedTraces(t)
	paths := make([]string, len(TraceFiles))
	for i, f := range TraceFiles {
		paths[i] = filepath.Join(dir, f)
	}
	return paths
}

// NeedsLake skips the test unless lake is on PATH.
func NeedsLake(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("lake")
	if err != nil {
		t.Skip("lake not on PATH: install Lean with elan (https://github.com/leanprover/elan) to run this test against real Lean")
	}
	return path
}

// WriteFiles writes files (slash-separated paths relative to root → text)
// under root, creating folders as needed.
func WriteFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
