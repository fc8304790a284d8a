package leanrpc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// DependsOnMathlib reports whether the Lake project at dir has Mathlib: its
// lake-manifest.json pins a package named mathlib (or the project is
// Mathlib itself), or, before the first `lake update` wrote a manifest, its
// lakefile requires one. Provers use it to offer Mathlib's tactics
// (norm_num, linarith, …), which a project without Mathlib does not have.
// A project whose files cannot be read counts as not depending on it: the
// core tactics work either way.
func DependsOnMathlib(dir string) bool {
	if data, err := os.ReadFile(filepath.Join(dir, "lake-manifest.json")); err == nil {
		if names, ok := manifestPackages(data); ok {
			for _, name := range names {
				if isMathlibName(name) {
					return true
				}
			}
			return false
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "lakefile.lean")); err == nil && leanLakefileHasMathlib(string(data)) {
		return true
	}
	if data, err := os.ReadFile(filepath.Join(dir, "lakefile.toml")); err == nil && tomlLakefileHasMathlib(data) {
		return true
	}
	return false
}

// manifestPackages returns the names of the manifest's root package and of
// every package it pins, or false when data is no manifest. Lake's manifest
// versions 1 to 6 nest each entry under its kind ({"git": {"name": …}} or
// {"path": {"name": …}}); version 7 and the 1.x versions are flat
// ({"type": "git", "name": …}). The root's name is how Mathlib's own
// manifest shows that the project is Mathlib.
func manifestPackages(data []byte) ([]string, bool) {
	type named struct {
		Name string `json:"name"`
	}
	var m struct {
		Name     string `json:"name"`
		Packages *[]struct {
			Name string `json:"name"`
			Git  *named `json:"git"`
			Path *named `json:"path"`
		} `json:"packages"`
	}
	if json.Unmarshal(data, &m) != nil || m.Packages == nil {
		return nil, false
	}
	names := []string{m.Name}
	for _, p := range *m.Packages {
		names = append(names, p.Name)
		if p.Git != nil {
			names = append(names, p.Git.Name)
		}
		if p.Path != nil {
			names = append(names, p.Path.Name)
		}
	}
	return names, true
}

// isMathlibName reports Mathlib's package name as Lake configurations
// write it: mathlib, "mathlib" or «mathlib».
func isMathlibName(name string) bool {
	name = strings.TrimSuffix(strings.TrimPrefix(name, "«"), "»")
	name = strings.Trim(name, `"'`)
	return strings.EqualFold(name, "mathlib")
}

// leanLakefileHasMathlib reads a lakefile.lean through the Lean lexer, so
// that a require inside a comment or a string does not count: `require
// mathlib from git "…" @ "rev"`, `require «mathlib» from …`, `require
// "leanprover-community" / "mathlib" @ git "…"`, or `package mathlib`
// (Mathlib's own lakefile). A lexer error (an unterminated comment) keeps
// the tokens before it.
func leanLakefileHasMathlib(src string) bool {
	toks, _ := lex(src)
	var code []token
	for _, t := range toks {
		if t.kind != tokComment {
			code = append(code, t)
		}
	}
	for i, t := range code {
		if t.kind != tokIdent || (t.text != "require" && t.text != "package") {
			continue
		}
		j := i + 1
		// A scoped name: "leanprover-community" / "mathlib".
		if t.text == "require" && j+1 < len(code) && code[j].kind == tokString && code[j+1].text == "/" {
			j += 2
		}
		if j < len(code) && (code[j].kind == tokIdent || code[j].kind == tokString) && isMathlibName(code[j].text) {
			return true
		}
	}
	return false
}

// tomlLakefileHasMathlib reads a lakefile.toml line by line: a name of
// mathlib in a [[require]] table, or as the package's own name before the
// first table (Mathlib itself). A name in another table ([[lean_lib]]) is
// a build target, not a dependency. Comments after # are ignored.
func tomlLakefileHasMathlib(data []byte) bool {
	table := "" // the root table
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			table = strings.Join(strings.Fields(tomlStripComment(line)), "")
			continue
		}
		key, value, ok := strings.Cut(tomlStripComment(line), "=")
		if !ok || strings.Trim(strings.TrimSpace(key), `"'`) != "name" {
			continue
		}
		if (table == "" || table == "[[require]]") && isMathlibName(strings.TrimSpace(value)) {
			return true
		}
	}
	return false
}

// tomlStripComment drops a # comment that is outside a string.
func tomlStripComment(line string) string {
	var quote rune
	for i, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == '#':
			return strings.TrimSpace(line[:i])
		}
	}
	return line
}
