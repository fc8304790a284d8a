package leanrpc

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
)

// envKeyVersion prefixes every key; bump it when what goes into the hash
// changes, so that old cache entries are never read under new rules.
const envKeyVersion = "env1:"

// EnvironmentKey names the environment in which Lean elaborates tactics for
// theorem th of target t: two calls give the same key only when Lean's
// answer to a tactic in a given goal cannot differ between them (as far as
// files and settings the prover sees can tell). It is meant for caching
// (state, tactic) outcomes across runs. The key is "env1:" and a hex
// SHA-256 over these parts, each length-prefixed so that no two inputs hash
// the same bytes:
//
//   - lean-toolchain: another Lean version elaborates differently.
//   - lake-manifest.json: the pinned dependency revisions (Mathlib's
//     lemmas and simp set change from one revision to the next).
//   - lakefile.lean and lakefile.toml: the package's Lean options
//     (autoImplicit, maxHeartbeats, …) apply to every file.
//     A missing file hashes as absent, distinct from an empty one.
//   - every project module the file imports (ProjectImports), by name and
//     text: the lemmas, instances and simp attributes they declare.
//   - th.Context: the file's header and everything before the theorem
//     (opens, variables, earlier lemmas, set_option).
//   - th.Signature: the statement, which fixes the goal's hidden parts
//     (universe levels, instances, elaborated binders) that goal text
//     alone does not show.
//   - options: settings of the prover that change Lean's answers, e.g.
//     "maxHeartbeats=200000", in the caller's order.
//
// An import that cannot be read or parsed is an error and there is no key:
// a key that missed a file could match an environment that differs in it.
func EnvironmentKey(ctx context.Context, t *Target, th Theorem, options ...string) (string, error) {
	h := sha256.New()
	for _, name := range []string{"lean-toolchain", "lake-manifest.json", "lakefile.lean", "lakefile.toml"} {
		if err := hashProjectFile(h, t.ProjectDir, name); err != nil {
			return "", err
		}
	}
	imports, err := ProjectImports(ctx, t)
	if err != nil {
		return "", fmt.Errorf("environment key of %s: %w", th.Name, err)
	}
	writeCount(h, len(imports))
	for _, f := range imports {
		writeField(h, f.Module)
		writeField(h, f.Source.Text)
	}
	writeField(h, th.Context)
	writeField(h, th.Signature)
	writeCount(h, len(options))
	for _, o := range options {
		writeField(h, o)
	}
	return envKeyVersion + hex.EncodeToString(h.Sum(nil)), nil
}

// hashProjectFile writes the file's name, then a presence mark and its
// contents (or an absence mark).
func hashProjectFile(h hash.Hash, dir, name string) error {
	writeField(h, name)
	data, err := os.ReadFile(filepath.Join(dir, name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		h.Write([]byte{0})
		return nil
	case err != nil:
		return fmt.Errorf("environment key: %w", err)
	}
	h.Write([]byte{1})
	writeField(h, string(data))
	return nil
}

func writeCount(h hash.Hash, n int) {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(n))
	h.Write(buf[:])
}

func writeField(h hash.Hash, s string) {
	writeCount(h, len(s))
	h.Write([]byte(s))
}
