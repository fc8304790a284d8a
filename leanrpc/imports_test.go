package leanrpc_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/internal/testenv"
	"github.com/leanprove/leanprove/leanrpc"
)

// importsProject: Main imports B (under src/, as a lean_lib with srcDir
// keeps it) and Mathlib; B imports A and C; C imports A again. Unused is
// in the project but imported by nobody.
func importsProject() map[string]string {
	return map[string]string{
		"lakefile.toml":      "name = \"demo\"\n",
		"src/Demo/Main.lean": "import Mathlib.Tactic\nimport Demo.B\n\ntheorem main_thm : True := by sorry\n",
		"src/Demo/B.lean":    "import Demo.A\nimport Demo.C\nimport Std\n\ntheorem b : True := trivial\n",
		"Demo/A.lean":        "theorem a : True := trivial\n",
		"src/Demo/C.lean":    "import Demo.A\n\ntheorem c : True := trivial\n",
		"Demo/Unused.lean":   "theorem unused : True := trivial\n",
	}
}

func TestProjectImports(t *testing.T) {
	ctx := context.Background()
	dir := writeProject(t, importsProject())
	tg, err := leanrpc.FindTheorem(ctx, dir, "main_thm")
	if err != nil {
		t.Fatal(err)
	}
	files, err := leanrpc.ProjectImports(ctx, tg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Module)
		if f.Source == nil || !strings.HasSuffix(f.Path, filepath.FromSlash(strings.ReplaceAll(f.Module, ".", "/")+".lean")) {
			t.Errorf("module %s: path %s, source %v", f.Module, f.Path, f.Source != nil)
		}
	}
	// Dependencies first, each once; Mathlib, Std and Unused absent.
	if want := "Demo.A Demo.C Demo.B"; strings.Join(got, " ") != want {
		t.Errorf("ProjectImports = %v, want %s", got, want)
	}
}

func TestProjectImportsNamesUnparsableFile(t *testing.T) {
	ctx := context.Background()
	files := importsProject()
	files["src/Demo/C.lean"] = "theorem broken : (True := trivial\n"
	dir := writeProject(t, files)
	tg, err := leanrpc.FindTheorem(ctx, dir, "main_thm")
	if err != nil {
		t.Fatal(err)
	}
	got, err := leanrpc.ProjectImports(ctx, tg)
	if err == nil || !strings.Contains(err.Error(), "Demo.C") || !strings.Contains(err.Error(), "C.lean") {
		t.Errorf("error = %v, want one naming Demo.C and its file", err)
	}
	var mods []string
	for _, f := range got {
		mods = append(mods, f.Module)
	}
	if want := "Demo.A Demo.B"; strings.Join(mods, " ") != want {
		t.Errorf("files still returned = %v, want %s", mods, want)
	}
}

// writeProject writes a Lake project with the given files into a fresh
// folder and returns it.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, files)
	return dir
}
