package theorems_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/theorems"
)

// TestProverSeesTheSameTargets parses the library with the prover's own
// static parser (leanrpc.ParseFile, which `prove batch` uses to find its
// targets) and requires it to find exactly the targets Check counts.
func TestProverSeesTheSameTargets(t *testing.T) {
	rep, err := theorems.Check(".")
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]bool{}
	for _, d := range rep.Decls {
		if d.IsTarget() {
			ours[d.Name] = true
		}
	}
	theirs := map[string]bool{}
	err = filepath.WalkDir("LeanProve", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".lean") {
			return err
		}
		src, err := leanrpc.ParseFile(path)
		if err != nil {
			return err
		}
		for _, decl := range src.Decls {
			if decl.IsTheorem() && decl.HasSorry {
				theirs[decl.FullName] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ours) != 332 {
		t.Errorf("Check finds %d targets, want 332", len(ours))
	}
	for n := range ours {
		if !theirs[n] {
			t.Errorf("leanrpc.ParseFile does not see target %s", n)
		}
	}
	for n := range theirs {
		if !ours[n] {
			t.Errorf("leanrpc.ParseFile sees a sorry in %s, which Check does not count as a target", n)
		}
	}
}
