package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/internal/testenv"
	"github.com/leanprove/leanprove/leanrpc"
)

func TestFindTargets(t *testing.T) {
	root := t.TempDir()
	testenv.WriteFiles(t, root, map[string]string{
		// Top imports Lemmas, so Lemmas' theorems come first even though
		// "Lib/Top.lean" is not after "Lib/Lemmas.lean" in every order.
		"Lib/A_Top.lean": "import Lib.Lemmas\n\ntheorem top : True := by sorry\n",
		"Lib/Lemmas.lean": "namespace Foo\ntheorem l1 : 1 = 1 := by sorry\ntheorem done : 2 = 2 := by rfl\n" +
			"def helper : Nat := 3\nend Foo\nnamespace Bar\ntheorem l1 : 3 = 3 := sorry\nend Bar\n",
		"Lib/NoTheorems.lean":         "def x : Nat := 1\n",
		"Lib/Broken.lean":             "theorem broken : (1 = 1 := by sorry\n",
		".lake/packages/dep/Dep.lean": "theorem hidden : True := by sorry\n",
	})
	found, err := findTargets(context.Background(), []string{filepath.Join(root, "Lib")})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range found.targets {
		names = append(names, tg.Theorem)
	}
	// Same short name in two namespaces: both, by full name.
	want := "Foo.l1,Bar.l1,top"
	if strings.Join(names, ",") != want {
		t.Errorf("targets = %v, want %s", names, want)
	}
	if found.files != 3 {
		t.Errorf("parsed %d files, want 3", found.files)
	}
	if len(found.skipped) != 1 || !errors.Is(found.skipped[0], leanrpc.ErrParse) || !strings.Contains(found.skipped[0].Error(), "Broken.lean:1") {
		t.Errorf("skipped = %v, want Broken.lean with its line", found.skipped)
	}
}

// TestFindTargetsOnce: a file named on its own and again under a folder
// holds its theorems once; twice, the batch would prove each twice at the
// same time and count it twice in the report.
func TestFindTargetsOnce(t *testing.T) {
	root := t.TempDir()
	testenv.WriteFiles(t, root, map[string]string{"Lib/A.lean": "theorem a : True := by sorry\n"})
	paths := []string{root + "/Lib/./A.lean", filepath.Join(root, "Lib"), root + "/Lib/"}
	found, err := findTargets(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(found.targets) != 1 || found.files != 1 {
		t.Errorf("findTargets(%q) = %d targets in %d files (%v), want 1 in 1", paths, len(found.targets), found.files, found.targets)
	}
}

func TestFindTargetsBadPaths(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, map[string]string{"notes.txt": "hello"})
	for _, p := range []string{filepath.Join(dir, "missing"), filepath.Join(dir, "notes.txt")} {
		if _, err := findTargets(context.Background(), []string{p}); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("findTargets(%s) = %v, want an error naming the path", p, err)
		}
	}
}
