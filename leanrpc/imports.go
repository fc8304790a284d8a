package leanrpc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ImportedFile is one project module that a theorem's file imports,
// directly or through other project modules.
type ImportedFile struct {
	Module string      // the module name as imported ("Demo.Lemmas")
	Path   string      // its .lean file
	Source *SourceFile // parsed
}

// ProjectImports returns the transitive closure of the target file's
// imports restricted to the project's own modules: module A.B is the file
// A/B.lean under the project root or under a directory between the
// theorem's file and the root (a lean_lib with srcDir = "src" keeps A.B in
// src/A/B.lean). Each module appears once, after the modules it imports.
// Modules that are not project files (Mathlib, Std, core) are skipped: they
// come from the toolchain and lake-manifest.json, not from the project.
//
// A project file that cannot be read or parsed is left out (and so are the
// imports only it would have led to) and named in the returned error, next
// to the files that could be read.
func ProjectImports(ctx context.Context, t *Target) ([]ImportedFile, error) {
	var out []ImportedFile
	var errs []error
	seen := map[string]bool{}
	roots := sourceRoots(t)
	var visit func(imports []string)
	visit = func(imports []string) {
		for _, mod := range imports {
			if seen[mod] || ctx.Err() != nil {
				continue
			}
			seen[mod] = true
			path := moduleFile(roots, mod)
			if path == "" {
				continue // not a project module
			}
			src, err := ParseFile(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("imported module %s: %w", mod, err))
				continue
			}
			visit(src.Imports)
			out = append(out, ImportedFile{Module: mod, Path: path, Source: src})
		}
	}
	visit(t.Source.Imports)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, errors.Join(errs...)
}

// sourceRoots lists the directories a module name may be relative to: the
// project root, then each directory from the theorem's file up to it.
func sourceRoots(t *Target) []string {
	roots := []string{t.ProjectDir}
	if t.File == "" {
		return roots
	}
	for dir := filepath.Dir(t.File); dir != t.ProjectDir && strings.HasPrefix(dir, t.ProjectDir); dir = filepath.Dir(dir) {
		roots = append(roots, dir)
	}
	return roots
}

// moduleFile finds module mod's file under one of roots, or returns "".
func moduleFile(roots []string, mod string) string {
	rel := filepath.FromSlash(strings.ReplaceAll(mod, ".", "/")) + ".lean"
	for _, r := range roots {
		path := filepath.Join(r, rel)
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	return ""
}
