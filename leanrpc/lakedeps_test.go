package leanrpc_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leanprove/leanprove/leanrpc"
)

func TestDependsOnMathlib(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  bool
	}{
		{"manifest pins mathlib", map[string]string{
			"lake-manifest.json": `{"version": "1.1.0", "packages": [{"name": "batteries"}, {"name": "mathlib", "scope": "leanprover-community"}], "name": "demo"}`,
		}, true},
		{"manifest without mathlib wins over the lakefile", map[string]string{
			"lake-manifest.json": `{"version": "1.1.0", "packages": [], "name": "demo"}`,
			"lakefile.lean":      "require mathlib from git \"https://github.com/leanprover-community/mathlib4\"\n",
		}, false},
		{"lakefile.lean require, no manifest yet", map[string]string{
			"lakefile.lean": "import Lake\nopen Lake DSL\n\nrequire mathlib from git\n  \"https://github.com/leanprover-community/mathlib4\"\n",
		}, true},
		{"lakefile.lean scoped require", map[string]string{
			"lakefile.lean": "require \"leanprover-community\" / \"mathlib\" @ git \"v4.24.0\"\n",
		}, true},
		{"lakefile.lean mentions mathlib only in a comment", map[string]string{
			"lakefile.lean": "-- one day: require mathlib\npackage demo\n",
		}, false},
		{"lakefile.toml require", map[string]string{
			"lakefile.toml": "name = \"demo\"\n\n[[require]]\nname = \"mathlib\"\nscope = \"leanprover-community\"\n",
		}, true},
		{"core-only project", map[string]string{
			"lakefile.toml": "name = \"demo\"\n\n[[lean_lib]]\nname = \"Demo\"\n",
		}, false},
		{"broken manifest falls back to the lakefile", map[string]string{
			"lake-manifest.json": `{"packages": [`,
			"lakefile.toml":      "[[require]]\nname = \"mathlib\"\n",
		}, true},
		{"nothing readable", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := leanrpc.DependsOnMathlib(dir); got != tt.want {
				t.Errorf("DependsOnMathlib = %v, want %v", got, tt.want)
			}
		})
	}
}
