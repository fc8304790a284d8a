package theorems

import (
	"errors"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/internal/testenv"
)

// A small valid Lake project; each case below breaks one thing.
var fixture = map[string]string{
	"lean-toolchain": Toolchain + "\n",
	"lakefile.toml":  "name = \"foo\"\ndefaultTargets = [\"Foo\"]\n\n[[lean_lib]]\nname = \"Foo\"\n",
	"Foo.lean":       "-- root\nimport Foo.A\n",
	"Foo/A.lean": `/-! A module doc with a nested /- comment -/ and "quotes. -/

namespace Foo

/-- twice -/
def double (n : Nat) : Nat := 2 * n

theorem double_eq (n : Nat) : double n = n + n := by sorry

theorem proved (n : Nat) : n + 0 = n := by
  omega -- a proof, not a target

end Foo
`,
}

func writeFixture(t *testing.T, edit func(map[string]string)) string {
	t.Helper()
	files := map[string]string{}
	for k, v := range fixture {
		files[k] = v
	}
	edit(files)
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, files)
	return dir
}

func TestCheckFixture(t *testing.T) {
	rep, err := Check(writeFixture(t, func(map[string]string) {}))
	if err != nil {
		t.Fatalf("valid fixture: %v", err)
	}
	theorems, targets, defs := rep.Count()
	if theorems != 2 || targets != 1 || defs != 1 {
		t.Errorf("counts = %d theorems, %d targets, %d defs; want 2, 1, 1", theorems, targets, defs)
	}
	if rep.Decls[0].Name != "Foo.double" {
		t.Errorf("first declaration %q, want Foo.double", rep.Decls[0].Name)
	}
}

func TestCheckFindsDefects(t *testing.T) {
	replace := func(file, old, new string) func(map[string]string) {
		return func(f map[string]string) {
			if !strings.Contains(f[file], old) {
				panic("fixture lacks " + old)
			}
			f[file] = strings.Replace(f[file], old, new, 1)
		}
	}
	for _, tc := range []struct {
		name string
		edit func(map[string]string)
		want string
	}{
		{"toolchain", func(f map[string]string) { f["lean-toolchain"] = "leanprover/lean4:v4.9.0\n" }, "lean-toolchain"},
		{"duplicate name", replace("Foo/A.lean", "theorem proved", "theorem double_eq"), "Foo.double_eq is declared again"},
		{"open paren", replace("Foo/A.lean", "2 * n", "2 * (n"), "is never closed"},
		{"stray bracket", replace("Foo/A.lean", "n + n :=", "n + n] :="), "does not close anything"},
		{"sorry in a def", replace("Foo/A.lean", ":= 2 * n", ":= sorry"), "definitions must be complete"},
		{"sorry inside a proof", replace("Foo/A.lean", "  omega -- a proof", "  exact (sorry) -- a proof"), "whole body must be `by sorry`"},
		{"target over two lines", replace("Foo/A.lean", "  omega -- a proof", "  sorry -- a proof"), "on one line"},
		{"missing import", replace("Foo.lean", "import Foo.A", "import Foo.A\nimport Mathlib.Tactic"), "import Mathlib.Tactic: no such module"},
		{"unreachable module", func(f map[string]string) { f["Foo/B.lean"] = "def b : Nat := 1\n" }, "not imported from any library root"},
		{"missing root", replace("lakefile.toml", "name = \"Foo\"", "name = \"Bar\""), "library root Bar has no file"},
		{"default target", replace("lakefile.toml", "[\"Foo\"]", "[\"Baz\"]"), "defaultTargets names \"Baz\""},
		{"open comment", replace("Foo/A.lean", "/-- twice -/", "/-- twice"), "block comment never closed"},
		{"namespace not ended", replace("Foo/A.lean", "end Foo\n", ""), "never ended"},
		{"wrong end", replace("Foo/A.lean", "end Foo", "end Bar"), "does not close the innermost namespace"},
		{"native_decide", replace("Foo/A.lean", "  omega -- a", "  native_decide -- a"), "native_decide"},
		{"import late", replace("Foo.lean", "import Foo.A", "def x : Nat := 1\nimport Foo.A"), "import after the first command"},
		{"column-0 junk", replace("Foo/A.lean", "end Foo", "omega\nend Foo"), "not a command"},
	} {
		_, err := Check(writeFixture(t, tc.edit))
		if err == nil || !errors.Is(err, ErrLean) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want ErrLean mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestHasToken(t *testing.T) {
	for _, tc := range []struct {
		code string
		want bool
	}{{"by sorry", true}, {"sorryAx", false}, {"(sorry)", true}, {"not_sorry", false}, {"h.sorry", false}, {"sorry'", false}} {
		if got := hasToken(tc.code, "sorry"); got != tc.want {
			t.Errorf("hasToken(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}
