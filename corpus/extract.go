package corpus

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/leanprove/leanprove/leanrpc"
)

// StaticDecl is what static extraction reads from source without Lean: a
// theorem's statement and the top-level steps of its tactic proof. Without
// Lean there are no proof states, so these are not replayable traces; they
// feed tactic statistics and serve as targets for dynamic tracing.
type StaticDecl struct {
	FullName  string   `json:"full_name"`
	FilePath  string   `json:"file_path"`
	Line      int      `json:"line"`
	Kind      string   `json:"kind"`
	Statement string   `json:"statement"`
	Tactics   []string `json:"tactics"`
	HasSorry  bool     `json:"has_sorry,omitempty"`
}

// ExtractStatic parses every .lean file under roots (files or directories;
// .lake and hidden directories are skipped) and returns each theorem proved
// by a tactic block, in file and source order. A file that does not parse is
// an error naming it, unless skipBad, which counts it in skipped instead.
func ExtractStatic(ctx context.Context, roots []string, skipBad bool) (decls []StaticDecl, skipped int, err error) {
	var files []string
	for _, root := range roots {
		info, err := os.Stat(root)
		if err != nil {
			return nil, 0, fmt.Errorf("extract: %w", err)
		}
		if !info.IsDir() {
			if !strings.HasSuffix(root, ".lean") {
				// Lean's syntax finds nothing in a trace file or a README:
				// an empty result would hide the mistake.
				return nil, 0, fmt.Errorf("extract: %s is not a .lean file (give .lean files or directories)", root)
			}
			files = append(files, root)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != root && (d.Name() == ".lake" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".lean") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, 0, fmt.Errorf("extract: walk %s: %w", root, err)
		}
	}
	// A file named twice (a directory and a file in it, or two overlapping
	// directories) is extracted once: twice would count its tactics twice.
	seen := map[string]bool{}
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		if abs, err := filepath.Abs(path); err == nil {
			if seen[abs] {
				continue
			}
			seen[abs] = true
		}
		src, err := leanrpc.ParseFile(path)
		if err != nil {
			if skipBad {
				skipped++
				continue
			}
			return nil, 0, fmt.Errorf("extract: %w (use --skip-bad to skip such files)", err)
		}
		for _, d := range src.Decls {
			if !d.IsTheorem() || !d.ByBlock || len(d.Tactics) == 0 {
				continue
			}
			sd := StaticDecl{FullName: declName(&d), FilePath: path, Line: d.Line, Kind: d.Kind,
				Statement: d.Statement, HasSorry: d.HasSorry}
			for _, t := range d.Tactics {
				sd.Tactics = append(sd.Tactics, t.Text)
			}
			decls = append(decls, sd)
		}
	}
	return decls, skipped, nil
}

// exampleMark starts the made-up name of an example.
const exampleMark = "example@"

// declName is the name a declaration's records carry. An example has none
// in Lean; records need one (Load refuses a theorem without a name, and
// the store keys theorems by file and name), so an example is named after
// its namespace and line: Dyn.example@8.
func declName(d *leanrpc.Decl) string {
	if d.FullName != "" {
		return d.FullName
	}
	name := fmt.Sprintf("%s%d", exampleMark, d.Line)
	if d.Namespace != "" {
		name = d.Namespace + "." + name
	}
	return name
}
