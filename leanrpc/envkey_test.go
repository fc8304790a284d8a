package leanrpc_test

import (
	"context"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/leanrpc"
)

// envInput is everything EnvironmentKey reads, so that each case changes
// one part of it.
type envInput struct {
	files   map[string]string // the project
	drop    []string          // files to leave out
	context string            // appended to the theorem's Context
	sig     string            // replaces the Signature when set
	options []string
}

func envKeyOf(t *testing.T, in envInput) string {
	t.Helper()
	files := importsProject()
	files["lean-toolchain"] = "leanprover/lean4:v4.24.0\n"
	files["lake-manifest.json"] = `{"version": "1.1.0", "packages": [{"name": "mathlib", "rev": "aaaa"}]}` + "\n"
	for name, text := range in.files {
		files[name] = text
	}
	for _, name := range in.drop {
		delete(files, name)
	}
	ctx := context.Background()
	tg, err := leanrpc.FindTheorem(ctx, writeProject(t, files), "main_thm")
	if err != nil {
		t.Fatal(err)
	}
	th := leanrpc.TheoremFromTarget(tg)
	th.Context += in.context
	if in.sig != "" {
		th.Signature = in.sig
	}
	key, err := leanrpc.EnvironmentKey(ctx, tg, th, in.options...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, "env1:") || len(key) != len("env1:")+64 {
		t.Fatalf("key %q: want env1: and 64 hex digits", key)
	}
	return key
}

func TestEnvironmentKey(t *testing.T) {
	base := envInput{options: []string{"maxHeartbeats=200000"}}
	baseKey := envKeyOf(t, base)
	tests := []struct {
		name string
		in   envInput
		same bool
	}{
		{"equal inputs", base, true},
		{"a file outside the import closure", envInput{files: map[string]string{"Demo/Unused.lean": "theorem unused : False := sorry\n"}, options: base.options}, true},
		{"a non-project import's name only", envInput{files: map[string]string{"Mathlib/Other.lean": "theorem x : True := trivial\n"}, options: base.options}, true},
		{"an imported project file", envInput{files: map[string]string{"Demo/A.lean": "theorem a : True := by trivial\n"}, options: base.options}, false},
		{"a transitively imported file", envInput{files: map[string]string{"src/Demo/C.lean": "import Demo.A\n\ntheorem c' : True := trivial\n"}, options: base.options}, false},
		{"the toolchain", envInput{files: map[string]string{"lean-toolchain": "leanprover/lean4:v4.25.0\n"}, options: base.options}, false},
		{"the toolchain missing", envInput{drop: []string{"lean-toolchain"}, options: base.options}, false},
		{"the toolchain empty", envInput{files: map[string]string{"lean-toolchain": ""}, options: base.options}, false},
		{"the manifest", envInput{files: map[string]string{"lake-manifest.json": `{"version": "1.1.0", "packages": [{"name": "mathlib", "rev": "bbbb"}]}` + "\n"}, options: base.options}, false},
		{"the lakefile's options", envInput{files: map[string]string{"lakefile.toml": "name = \"demo\"\nleanOptions = {autoImplicit = false}\n"}, options: base.options}, false},
		{"the context", envInput{context: "open Nat\n", options: base.options}, false},
		{"the signature", envInput{sig: "theorem main_thm : True ∧ True", options: base.options}, false},
		{"an option", envInput{options: []string{"maxHeartbeats=400000"}}, false},
		{"no option", envInput{}, false},
		{"an option split differently", envInput{options: []string{"maxHeartbeats=", "200000"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := envKeyOf(t, tt.in)
			if (got == baseKey) != tt.same {
				t.Errorf("key %s, base %s: same = %v, want %v", got, baseKey, got == baseKey, tt.same)
			}
		})
	}
}

// Missing and empty are different toolchains: one key each.
func TestEnvironmentKeyMissingIsNotEmpty(t *testing.T) {
	missing := envKeyOf(t, envInput{drop: []string{"lake-manifest.json"}})
	empty := envKeyOf(t, envInput{files: map[string]string{"lake-manifest.json": ""}})
	if missing == empty {
		t.Errorf("a missing and an empty lake-manifest.json give the same key %s", missing)
	}
}

// An import that cannot be parsed gives no key: a key that skipped it would
// match a project where that file says something else.
func TestEnvironmentKeyUnreadableImport(t *testing.T) {
	ctx := context.Background()
	files := importsProject()
	files["Demo/A.lean"] = "theorem a : (True := trivial\n"
	tg, err := leanrpc.FindTheorem(ctx, writeProject(t, files), "main_thm")
	if err != nil {
		t.Fatal(err)
	}
	key, err := leanrpc.EnvironmentKey(ctx, tg, leanrpc.TheoremFromTarget(tg))
	if err == nil || key != "" || !strings.Contains(err.Error(), "Demo.A") {
		t.Errorf("EnvironmentKey = %q, %v; want no key and an error naming Demo.A", key, err)
	}
}
