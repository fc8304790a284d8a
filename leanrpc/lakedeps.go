package leanrpc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// DependsOnMathlib reports whether the Lake project at dir requires
// Mathlib: its lake-manifest.json pins a package named mathlib, or, before
// the first `lake update` wrote a manifest, its lakefile requires one.
// Provers use it to offer Mathlib's tactics (norm_num, linarith, …), which
// a project without Mathlib does not have. A project whose files cannot be
// read counts as not depending on it: the core tactics work either way.
func DependsOnMathlib(dir string) bool {
	if data, err := os.ReadFile(filepath.Join(dir, "lake-manifest.json")); err == nil {
		var m struct {
			Packages []struct {
				Name string `json:"name"`
			} `json:"packages"`
		}
		if json.Unmarshal(data, &m) == nil {
			for _, p := range m.Packages {
				if strings.EqualFold(p.Name, "mathlib") {
					return true
				}
			}
			return false
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "lakefile.lean")); err == nil && leanRequire.Match(data) {
		return true
	}
	if data, err := os.ReadFile(filepath.Join(dir, "lakefile.toml")); err == nil && tomlRequire.Match(data) {
		return true
	}
	return false
}

var (
	// require mathlib from git "…", require "leanprover-community" / "mathlib"
	leanRequire = regexp.MustCompile(`(?m)^\s*require\s+(?:"[^"]*"\s*/\s*)?"?mathlib"?(?:\s|$)`)
	// [[require]] … name = "mathlib"
	tomlRequire = regexp.MustCompile(`(?m)^\s*name\s*=\s*"mathlib"\s*$`)
)
