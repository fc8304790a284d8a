package corpus_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/corpus"
)

func TestExtractStatic(t *testing.T) {
	decls, skipped, err := corpus.ExtractStatic(context.Background(), []string{filepath.Join("testdata", "lean")}, false)
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 0 {
		t.Errorf("skipped %d", skipped)
	}
	got := map[string]corpus.StaticDecl{}
	var names []string
	for _, d := range decls {
		got[d.FullName] = d
		names = append(names, d.FullName)
	}
	want := []string{"Demo.add_zero'", "Demo.and_swap", "Demo.todo", "one_pos'"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("declarations %v, want %v (term proofs, defs and .lake skipped)", names, want)
	}
	swap := got["Demo.and_swap"]
	if len(swap.Tactics) != 3 || swap.Tactics[0] != "constructor" || !strings.HasPrefix(swap.Tactics[1], "· exact hq") {
		t.Errorf("and_swap tactics %q", swap.Tactics)
	}
	if !strings.Contains(swap.Statement, "q ∧ p") || swap.Line != 8 {
		t.Errorf("and_swap statement %q line %d", swap.Statement, swap.Line)
	}
	if !got["Demo.todo"].HasSorry || got["Demo.add_zero'"].HasSorry {
		t.Error("sorry flags wrong")
	}
	for _, bad := range []string{"testdata/nope", "testdata/dojo.json"} {
		if _, _, err := corpus.ExtractStatic(context.Background(), []string{bad}, false); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("root %s: %v, want an error naming it", bad, err)
		}
	}
}

// Examples get the name traces use (see TraceDynamic): namespace and line.
func TestExtractStaticNamesExamples(t *testing.T) {
	decls, _, err := corpus.ExtractStatic(context.Background(), []string{filepath.Join("testdata", "lean-dyn")}, false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range decls {
		names = append(names, d.FullName)
	}
	if want := "Dyn.two_lines,Dyn.example@8,Dyn.example@11"; strings.Join(names, ",") != want {
		t.Errorf("names %v, want %s", names, want)
	}
}

// Overlapping roots extract each file once.
func TestExtractStaticOverlappingRoots(t *testing.T) {
	dir := filepath.Join("testdata", "lean")
	roots := []string{dir, filepath.Join(dir, "sub"), filepath.Join(dir, "Basic.lean"), "./" + filepath.Join(dir, "sub", "More.lean")}
	decls, _, err := corpus.ExtractStatic(context.Background(), roots, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(decls) != 4 {
		t.Errorf("%d declarations from overlapping roots, want the 4 of the tree once", len(decls))
	}
}
