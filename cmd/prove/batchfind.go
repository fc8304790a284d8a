package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leanprove/leanprove/leanrpc"
)

// foundTargets is what a static scan of the batch's paths found.
type foundTargets struct {
	targets []batchTarget
	files   int     // .lean files parsed
	skipped []error // files that did not parse, each naming file and line
}

// findTargets lists every named theorem whose proof uses sorry in the .lean
// files under paths, without Lean. Files come in import order (a module
// before the modules that import it) and declarations in file order, which
// is the order Lean itself requires: lemmas come before their uses, so a
// batch attempts them first. A file that does not parse is skipped and
// reported; the rest of the batch goes on.
func findTargets(ctx context.Context, paths []string) (*foundTargets, error) {
	var files []string
	seen := map[string]bool{}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("batch path %s: %w", p, err)
		}
		if !info.IsDir() {
			if !strings.HasSuffix(p, ".lean") {
				return nil, fmt.Errorf("batch path %s: not a .lean file or a folder", p)
			}
			// Cleaned as the folder walk's paths are, so that a file named
			// both on its own and under a folder is proved once.
			if f := filepath.Clean(p); !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
			continue
		}
		under, err := leanrpc.LeanFiles(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("batch path %s: %w", p, err)
		}
		for _, f := range under {
			if !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
		}
	}

	found := &foundTargets{}
	var parsed []*leanrpc.SourceFile
	for _, f := range files {
		src, err := leanrpc.ParseFile(f)
		if err != nil {
			found.skipped = append(found.skipped, err)
			continue
		}
		found.files++
		parsed = append(parsed, src)
	}
	for _, src := range importOrder(parsed) {
		for _, d := range src.Decls {
			if d.IsTheorem() && d.HasSorry && d.FullName != "" {
				found.targets = append(found.targets, batchTarget{File: src.Path, Theorem: d.FullName, Line: d.Line})
			}
		}
	}
	return found, nil
}

// importOrder sorts files so that each comes after the files it imports
// (by module name: A/B/C.lean is module A.B.C relative to any folder above
// it). Ties and unrelated files keep path order, so the order is stable.
func importOrder(srcs []*leanrpc.SourceFile) []*leanrpc.SourceFile {
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Path < srcs[j].Path })
	byModule := map[string]int{}
	for i, s := range srcs {
		for _, m := range moduleNames(s.Path) {
			byModule[m] = i
		}
	}
	var out []*leanrpc.SourceFile
	state := make([]uint8, len(srcs)) // 0 new, 1 visiting, 2 done
	var visit func(i int)
	visit = func(i int) {
		if state[i] != 0 {
			return // done, or an import cycle, which Lean rejects anyway
		}
		state[i] = 1
		for _, imp := range srcs[i].Imports {
			if j, ok := byModule[imp]; ok {
				visit(j)
			}
		}
		state[i] = 2
		out = append(out, srcs[i])
	}
	for i := range srcs {
		visit(i)
	}
	return out
}

// moduleNames lists the module names a path may have, one per folder above
// it: a/b/C.lean may be a.b.C, b.C or C depending on the package root.
func moduleNames(path string) []string {
	parts := strings.Split(filepath.ToSlash(strings.TrimSuffix(path, ".lean")), "/")
	var names []string
	for i := range parts {
		if parts[i] == "" || parts[i] == "." || parts[i] == ".." {
			continue
		}
		names = append(names, strings.Join(parts[i:], "."))
	}
	return names
}
