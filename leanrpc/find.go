package leanrpc

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// A Target is a theorem located in a Lake project, with everything a proof
// document needs.
type Target struct {
	// ProjectDir is the Lake project root (absolute).
	ProjectDir string
	// File is the .lean file that declares the theorem (absolute).
	File   string
	Source *SourceFile
	Decl   *Decl
}

// Header returns the file's header (its imports).
func (t *Target) Header() string { return t.Source.Text[:t.Source.HeaderEnd] }

// Context returns the text before the declaration (header included).
func (t *Target) Context() string { return t.Source.Context(t.Decl) }

// Line is the 1-based line of the declaration keyword.
func (t *Target) Line() int { return t.Decl.Line }

// CheckLakeProject returns an error wrapping ErrNotLakeProject when dir has
// neither lakefile.lean nor lakefile.toml.
func CheckLakeProject(dir string) error {
	for _, name := range []string{"lakefile.lean", "lakefile.toml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%s: %w: no lakefile.lean or lakefile.toml (run `lake init` there, or pass the project root with --project)",
		dir, ErrNotLakeProject)
}

// FindTheorem finds the declaration fullName in the Lake project at
// projectDir, parsing every .lean file outside .lake and hidden folders.
// A name without its namespaces is accepted when exactly one declaration
// ends with it. Unknown names give an error wrapping ErrTheoremNotFound
// that lists the closest names in the project.
func FindTheorem(ctx context.Context, projectDir, fullName string) (*Target, error) {
	root, err := filepath.Abs(projectDir)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", fullName, err)
	}
	if err := CheckLakeProject(root); err != nil {
		return nil, err
	}
	files, err := LeanFiles(ctx, root)
	if err != nil {
		return nil, fmt.Errorf("find %s in %s: %w", fullName, root, err)
	}
	return findIn(ctx, root, files, fullName)
}

// LeanFiles lists the .lean source files under dir in lexical order: every
// one but lakefile.lean, outside hidden folders (.lake, .git), build and
// lake-packages, which hold dependencies and build output, not the
// project's own sources.
func LeanFiles(ctx context.Context, dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "lake-packages" || d.Name() == "build") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".lean") && d.Name() != "lakefile.lean" {
			files = append(files, path)
		}
		return ctx.Err()
	})
	return files, err
}

// FindTheoremInFile is FindTheorem restricted to one file of the project.
func FindTheoremInFile(ctx context.Context, projectDir, file, fullName string) (*Target, error) {
	root, err := filepath.Abs(projectDir)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", fullName, err)
	}
	if err := CheckLakeProject(root); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", fullName, err)
	}
	if err := CheckInProject(root, abs); err != nil {
		return nil, err
	}
	return findIn(ctx, root, []string{abs}, fullName)
}

// CheckInProject returns an error wrapping ErrOutsideProject when file is
// not inside the project folder projectDir (following symbolic links): the
// server started there would elaborate it against another project's
// dependencies.
func CheckInProject(projectDir, file string) error {
	root, err := filepath.Abs(projectDir)
	if err != nil {
		return fmt.Errorf("%s: %w", projectDir, err)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if within(root, abs) {
		return nil
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		if f, err := filepath.EvalSymlinks(abs); err == nil && within(r, f) {
			return nil
		}
	}
	return fmt.Errorf("%s: %w %s (pass the project that holds it with --project)", file, ErrOutsideProject, root)
}

// within reports whether the clean absolute path lies under dir.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func findIn(ctx context.Context, root string, files []string, fullName string) (*Target, error) {
	var exact, suffix []*Target
	var parseErrs []error
	var all []string
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src, err := ParseFile(path)
		if err != nil {
			parseErrs = append(parseErrs, err)
			continue
		}
		for i := range src.Decls {
			d := &src.Decls[i]
			if d.FullName == "" {
				continue
			}
			all = append(all, d.FullName)
			t := &Target{ProjectDir: root, File: path, Source: src, Decl: d}
			switch {
			case d.FullName == fullName:
				exact = append(exact, t)
			case strings.HasSuffix(d.FullName, "."+fullName):
				suffix = append(suffix, t)
			}
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		return nil, fmt.Errorf("%q is declared %d times (%s and %s); pass --file", fullName, len(exact),
			where(exact[0]), where(exact[1]))
	case len(suffix) == 1:
		return suffix[0], nil
	case len(suffix) > 1:
		var names []string
		for _, t := range suffix {
			names = append(names, t.Decl.FullName+" ("+where(t)+")")
		}
		return nil, fmt.Errorf("%q is ambiguous: %s; give the full name", fullName, strings.Join(names, ", "))
	}
	msg := fmt.Sprintf("%q in %s", fullName, root)
	if close := closestNames(fullName, all, 5); len(close) > 0 {
		msg += "; closest names: " + strings.Join(close, ", ")
	}
	if len(parseErrs) > 0 {
		return nil, fmt.Errorf("%w: %s (%d files could not be parsed: %w)", ErrTheoremNotFound, msg, len(parseErrs), errors.Join(parseErrs...))
	}
	return nil, fmt.Errorf("%w: %s", ErrTheoremNotFound, msg)
}

func where(t *Target) string { return fmt.Sprintf("%s:%d", t.File, t.Decl.Line) }

// closestNames returns up to n names ordered by edit distance to name
// (comparing also against the last component, so a typo in a short name
// finds the namespaced declaration).
func closestNames(name string, names []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	var s []scored
	seen := map[string]bool{}
	for _, cand := range names {
		if seen[cand] {
			continue
		}
		seen[cand] = true
		d := editDistance(name, cand)
		if i := strings.LastIndexByte(cand, '.'); i >= 0 {
			d = min(d, editDistance(name, cand[i+1:]))
		}
		s = append(s, scored{cand, d})
	}
	sort.SliceStable(s, func(i, j int) bool { return s[i].d < s[j].d || (s[i].d == s[j].d && s[i].name < s[j].name) })
	var out []string
	for i := 0; i < len(s) && i < n; i++ {
		out = append(out, s[i].name)
	}
	return out
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
