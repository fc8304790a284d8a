package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// errFileChanged refuses a write-back over edits made while the search ran.
var errFileChanged = errors.New("file changed since the search started; not overwritten")

// snapshot is a file's content as read when a search started, so the
// write-back can tell whether anyone edited it since.
type snapshot struct {
	path string
	sum  [sha256.Size]byte
	mode os.FileMode
}

func takeSnapshot(path string) (snapshot, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return snapshot{}, nil, fmt.Errorf("read %s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return snapshot{}, nil, fmt.Errorf("stat %s: %w", path, err)
	}
	return snapshot{path: path, sum: sha256.Sum256(data), mode: info.Mode().Perm()}, data, nil
}

// renderProofBody renders tactics as a `by` block. The first tactic goes on
// the line of `by` when it is the only one; otherwise each tactic gets its
// own line, indented two columns past the declaration.
func renderProofBody(tactics []string, declIndent int) string {
	if len(tactics) == 1 {
		return "by " + tactics[0]
	}
	pad := strings.Repeat(" ", declIndent+2)
	var b strings.Builder
	b.WriteString("by")
	for _, t := range tactics {
		b.WriteString("\n")
		b.WriteString(pad)
		b.WriteString(t)
	}
	return b.String()
}

// replaceSpan returns src with src[start:end] replaced by repl.
func replaceSpan(src []byte, start, end int, repl string) ([]byte, error) {
	if start < 0 || end < start || end > len(src) {
		return nil, fmt.Errorf("proof body span [%d,%d) outside the file (%d bytes)", start, end, len(src))
	}
	out := make([]byte, 0, len(src)-(end-start)+len(repl))
	out = append(out, src[:start]...)
	out = append(out, repl...)
	out = append(out, src[end:]...)
	return out, nil
}

// writeBack replaces the span [start,end) of the file snap describes with
// repl, atomically (a temporary file in the same directory, then rename),
// and only if the file still has the content the snapshot saw. Nothing else
// in the file changes.
func writeBack(snap snapshot, start, end int, repl string) error {
	cur, err := os.ReadFile(snap.path)
	if err != nil {
		return fmt.Errorf("write back %s: %w", snap.path, err)
	}
	if sha256.Sum256(cur) != snap.sum {
		return fmt.Errorf("write back %s: %w", snap.path, errFileChanged)
	}
	out, err := replaceSpan(cur, start, end, repl)
	if err != nil {
		return fmt.Errorf("write back %s: %w", snap.path, err)
	}
	return atomicWrite(snap.path, out, snap.mode)
}

// atomicWrite writes data to path so that a reader sees the old or the new
// content, never a mix, and a crash leaves the old file in place.
func atomicWrite(path string, data []byte, mode os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".prove-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
