package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheoremsGenWritesFiles(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "theorems", "gen", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"LeanProve/Layers.lean", "LeanProve/Layers/Table.lean", "LeanProve/Layers/L00.lean", "LeanProve/Layers/L70.lean"} {
		path := filepath.Join(dir, filepath.FromSlash(f))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if !strings.Contains(stdout, path) {
			t.Errorf("stdout does not list %s", path)
		}
		if f == "LeanProve/Layers/L70.lean" && !strings.Contains(string(data), "theorem layer79_resid_bound") {
			t.Errorf("%s lacks layer 79", f)
		}
	}
}

func TestTheoremsCheckCountsTheLibrary(t *testing.T) {
	code, stdout, stderr := runCLI(t, "theorems", "check", "--dir", filepath.Join("..", "..", "theorems"), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{`"targets": 332`, `"theorems": 338`, `"proved": 6`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %s:\n%s", want, stdout)
		}
	}
}

func TestTheoremsUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"theorems"}, "want a subcommand"},
		{[]string{"theorems", "prove"}, `unknown subcommand "prove"`},
		{[]string{"theorems", "gen", "--config", "/nonexistent/c.json", "--out", "."}, "--config"},
		{[]string{"theorems", "gen", "extra"}, `unexpected argument "extra"`},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 mentioning %q", tc.args, code, stderr, tc.want)
		}
	}
}
