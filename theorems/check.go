package theorems

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Toolchain is the Lean release the library is written for.
const Toolchain = "leanprover/lean4:v4.24.0"

// Decl is one declaration of a Lean file.
type Decl struct {
	File string // relative to the project root, slash-separated
	Line int
	Kind string // theorem, lemma, def, abbrev, structure, inductive, instance, class
	Name string // with its namespace, e.g. LeanProve.layer07_attn_bound
	// Body is the text after the declaration's first top-level `:=`, with
	// comments blanked and space trimmed ("by sorry" for a target).
	Body string
}

// IsTheorem reports whether d is a theorem or lemma.
func (d Decl) IsTheorem() bool { return d.Kind == "theorem" || d.Kind == "lemma" }

// IsTarget reports whether d is a theorem left for the prover: its whole
// body is `by sorry`.
func (d Decl) IsTarget() bool { return d.IsTheorem() && d.Body == "by sorry" }

// Report is what Check found in a Lake project.
type Report struct {
	Modules []string // every module, e.g. LeanProve.Layers.L00
	Decls   []Decl
}

// Count returns the number of theorems, of targets among them (`by sorry`)
// and of definitions (every other declaration).
func (r Report) Count() (theorems, targets, defs int) {
	for _, d := range r.Decls {
		switch {
		case d.IsTarget():
			theorems++
			targets++
		case d.IsTheorem():
			theorems++
		default:
			defs++
		}
	}
	return theorems, targets, defs
}

var (
	commandRE = regexp.MustCompile(`^(?:@\[[^\]]*\]\s*)?(?:(?:private|protected|noncomputable|partial|unsafe)\s+)*` +
		`(theorem|lemma|def|abbrev|structure|inductive|instance|class|example|namespace|end|section|open|import|set_option|variable|universe|attribute)\b\s*([^\s(:{\[⟨]*)`)
	forbiddenTokens = []string{"admit", "native_decide"}
	oneLineSorryRE  = regexp.MustCompile(`:=[ \t]*by[ \t]+sorry`)
)

// Check runs every static check on the Lake project at root and returns what
// it found; the error joins every problem, each naming its file and line.
func Check(root string) (Report, error) {
	var rep Report
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrLean}, args...)...))
	}

	tc, err := os.ReadFile(filepath.Join(root, "lean-toolchain"))
	if err != nil {
		fail("lean-toolchain: %v", err)
	} else if strings.TrimSpace(string(tc)) != Toolchain {
		fail("lean-toolchain: %q, want %q", strings.TrimSpace(string(tc)), Toolchain)
	}

	files := map[string]string{} // module → source
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".lake" || d.Name() == "testdata" || d.Name() == "internal") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".lean") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[moduleOf(rel)] = string(src)
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("check %s: %w", root, err)
	}
	for m := range files {
		rep.Modules = append(rep.Modules, m)
	}
	sort.Strings(rep.Modules)

	imports := map[string][]string{}
	seen := map[string]Decl{}
	for _, m := range rep.Modules {
		file := fileOf(m)
		decls, imps, ferrs := scanFile(file, files[m])
		errs = append(errs, ferrs...)
		for _, imp := range imps {
			if _, ok := files[imp.module]; !ok {
				fail("%s:%d: import %s: no such module in the project (core Lean only: no Mathlib, Std or Batteries)", file, imp.line, imp.module)
			}
		}
		for _, imp := range imps {
			imports[m] = append(imports[m], imp.module)
		}
		for _, d := range decls {
			if d.Name != "" {
				if prev, dup := seen[d.Name]; dup {
					fail("%s:%d: %s is declared again (first at %s:%d)", d.File, d.Line, d.Name, prev.File, prev.Line)
				}
				seen[d.Name] = d
			}
		}
		rep.Decls = append(rep.Decls, decls...)
	}

	roots, lerr := lakeRoots(root)
	if lerr != nil {
		errs = append(errs, lerr)
	}
	reached := map[string]bool{}
	var visit func(string)
	visit = func(m string) {
		if reached[m] {
			return
		}
		reached[m] = true
		for _, i := range imports[m] {
			visit(i)
		}
	}
	for _, r := range roots {
		if _, ok := files[r]; !ok {
			fail("lakefile.toml: library root %s has no file %s", r, fileOf(r))
			continue
		}
		visit(r)
	}
	if len(roots) > 0 {
		for _, m := range rep.Modules {
			if !reached[m] {
				fail("%s: not imported from any library root (%s), so `lake build` would skip it", fileOf(m), strings.Join(roots, ", "))
			}
		}
	}
	return rep, errors.Join(errs...)
}

type importLine struct {
	module string
	line   int
}

// scanFile finds the declarations and imports of one file and checks its
// comments, brackets, namespaces and uses of sorry.
func scanFile(file, src string) ([]Decl, []importLine, []error) {
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s:%d: "+format, append([]any{ErrLean, file, line}, args...)...))
	}
	code, err := masked(src)
	if err != nil {
		return nil, nil, []error{fmt.Errorf("%w: %s: %v", ErrLean, file, err)}
	}
	if err := checkDelimiters(code); err != nil {
		errs = append(errs, fmt.Errorf("%w: %s: %v", ErrLean, file, err))
	}
	for _, tok := range forbiddenTokens {
		if hasToken(code, tok) {
			fail(1, "uses %s, which the library does not allow", tok)
		}
	}

	lines := strings.SplitAfter(code, "\n")
	type command struct {
		line       int
		kind, name string
		start      int // byte offset in code
	}
	var cmds []command
	off := 0
	for i, l := range lines {
		if len(l) > 0 && l[0] != ' ' && l[0] != '\t' && l[0] != '\n' {
			if m := commandRE.FindStringSubmatch(l); m != nil {
				cmds = append(cmds, command{i + 1, m[1], m[2], off})
			} else {
				fail(i+1, "a line starting in column 0 that is not a command: %q", strings.TrimSpace(l))
			}
		}
		off += len(l)
	}

	var decls []Decl
	var imps []importLine
	var ns []string
	sawOther := false
	for ci, c := range cmds {
		end := len(code)
		if ci+1 < len(cmds) {
			end = cmds[ci+1].start
		}
		text := code[c.start:end]
		switch c.kind {
		case "import":
			if sawOther {
				fail(c.line, "import after the first command")
			}
			imps = append(imps, importLine{c.name, c.line})
			continue
		case "namespace":
			ns = append(ns, c.name)
		case "section":
			ns = append(ns, "")
		case "end":
			if len(ns) == 0 || ns[len(ns)-1] != c.name {
				fail(c.line, "end %s does not close the innermost namespace or section", c.name)
			} else {
				ns = ns[:len(ns)-1]
			}
		case "theorem", "lemma", "def", "abbrev", "structure", "inductive", "instance", "class", "example":
			d := Decl{File: file, Line: c.line, Kind: c.kind}
			if c.name != "" && c.kind != "example" && c.kind != "instance" {
				d.Name = strings.Join(append(nonEmpty(ns), c.name), ".")
			}
			if a := firstTopLevelAssign(text); a >= 0 {
				d.Body = strings.Join(strings.Fields(text[a+2:]), " ")
			}
			if hasToken(text, "sorry") {
				switch {
				case !d.IsTheorem():
					fail(c.line, "%s %s uses sorry: definitions must be complete", c.kind, c.name)
				case d.Body != "by sorry":
					fail(c.line, "theorem %s uses sorry inside its proof: a target's whole body must be `by sorry`", c.name)
				case !oneLineSorryRE.MatchString(text):
					fail(c.line, "theorem %s: write a target as `:= by sorry` on one line, so prove --write can replace it", c.name)
				}
			}
			if (c.kind == "theorem" || c.kind == "lemma") && d.Body == "" {
				fail(c.line, "theorem %s has no `:=` body", c.name)
			}
			decls = append(decls, d)
		}
		sawOther = true
	}
	if len(ns) > 0 {
		fail(len(lines), "namespace or section %q is never ended", ns[len(ns)-1])
	}
	return decls, imps, errs
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// moduleOf turns LeanProve/Layers/L00.lean into LeanProve.Layers.L00.
func moduleOf(rel string) string {
	return strings.ReplaceAll(strings.TrimSuffix(filepath.ToSlash(rel), ".lean"), "/", ".")
}

func fileOf(module string) string { return strings.ReplaceAll(module, ".", "/") + ".lean" }

var (
	libHeaderRE = regexp.MustCompile(`^\s*\[\[lean_lib\]\]\s*$`)
	tomlKeyRE   = regexp.MustCompile(`^\s*(\w+)\s*=\s*(.+?)\s*$`)
	tomlStrRE   = regexp.MustCompile(`"([^"]*)"`)
)

// lakeRoots reads the root modules of every lean_lib in lakefile.toml (a
// library's roots default to its name) and checks defaultTargets name them.
func lakeRoots(root string) ([]string, error) {
	path := filepath.Join(root, "lakefile.toml")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v (the project needs a lakefile.toml)", ErrLean, err)
	}
	var roots, libs, targets []string
	inLib, libRoots, libName := false, []string(nil), ""
	flush := func() {
		if inLib {
			libs = append(libs, libName)
			if libRoots == nil {
				libRoots = []string{libName}
			}
			roots = append(roots, libRoots...)
		}
		inLib, libRoots, libName = false, nil, ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.SplitN(line, "#", 2)[0])
		switch {
		case line == "":
		case libHeaderRE.MatchString(line):
			flush()
			inLib = true
		case strings.HasPrefix(line, "["):
			flush()
		default:
			m := tomlKeyRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			var vals []string
			for _, s := range tomlStrRE.FindAllStringSubmatch(m[2], -1) {
				vals = append(vals, s[1])
			}
			switch {
			case inLib && m[1] == "name" && len(vals) == 1:
				libName = vals[0]
			case inLib && m[1] == "roots":
				libRoots = vals
			case !inLib && m[1] == "defaultTargets":
				targets = vals
			}
		}
	}
	flush()
	if len(libs) == 0 {
		return nil, fmt.Errorf("%w: %s declares no [[lean_lib]]", ErrLean, path)
	}
	var errs []error
	for _, t := range targets {
		if !contains(libs, t) {
			errs = append(errs, fmt.Errorf("%w: %s: defaultTargets names %q, which is no lean_lib (%s)", ErrLean, path, t, strings.Join(libs, ", ")))
		}
	}
	return roots, errors.Join(errs...)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
