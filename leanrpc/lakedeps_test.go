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
		{"manifest of Lake before version 7 nests each package under its kind", map[string]string{
			"lake-manifest.json": `{"version": 4, "packagesDir": "lake-packages", "packages": [{"git": {"url": "https://github.com/leanprover-community/mathlib4.git", "rev": "c4d2f6de", "name": "mathlib", "inputRev?": null}}]}`,
		}, true},
		{"manifest of Lake before version 7, path dependency", map[string]string{
			"lake-manifest.json": `{"version": 6, "packagesDir": ".lake/packages", "packages": [{"path": {"name": "mathlib", "inherited": false, "dir": "../mathlib4"}}]}`,
		}, true},
		{"Mathlib's own manifest names it the root package", map[string]string{
			"lake-manifest.json": `{"version": "1.1.0", "packagesDir": ".lake/packages", "packages": [{"name": "batteries", "type": "git"}], "name": "mathlib", "lakeDir": ".lake"}`,
		}, true},
		{"lakefile.lean require with French quotes", map[string]string{
			"lakefile.lean": "import Lake\nopen Lake DSL\n\nrequire «mathlib» from git\n  \"https://github.com/leanprover-community/mathlib4\" @ \"v4.22.0\"\n",
		}, true},
		{"lakefile.lean require from a path", map[string]string{
			"lakefile.lean": "require mathlib from \"..\" / \"mathlib4\"\n",
		}, true},
		{"lakefile.lean require inside a block comment", map[string]string{
			"lakefile.lean": "/-\nrequire mathlib from git \"https://github.com/leanprover-community/mathlib4\"\n-/\npackage demo\n",
		}, false},
		{"lakefile.lean requires only a package whose name starts with mathlib", map[string]string{
			"lakefile.lean": "require mathlib_extras from git \"https://example.org/x\"\n",
		}, false},
		{"lakefile.toml require with a comment and a literal string", map[string]string{
			"lakefile.toml": "name = \"demo\"\n\n[[require]]\nname = 'mathlib' # the library\nscope = \"leanprover-community\"\n",
		}, true},
		{"lakefile.toml library named mathlib is no require", map[string]string{
			"lakefile.toml": "name = \"demo\"\n\n[[lean_lib]]\nname = \"mathlib\"\n",
		}, false},
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
