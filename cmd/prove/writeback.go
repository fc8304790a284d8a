package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/leanprove/leanprove/leanrpc"
)

// errFileChanged refuses a write-back over edits made while the search ran.
var errFileChanged = errors.New("file changed since the search started; not overwritten")

// fileTracker writes proofs back into .lean files. While searches in a
// file run, it remembers the file as it was when the first of them started,
// and after each of its own writes, so that it never overwrites an edit made
// meanwhile by someone else; writes to one file are serialized, so a batch
// can fill several theorems of a file. Once no search in a file runs, the
// file is forgotten: the next search starts from the file as it is then, so
// a long batch or a service does not refuse edits made between searches.
type fileTracker struct {
	mu    sync.Mutex
	files map[string]*trackedFile
}

type trackedFile struct {
	mu    sync.Mutex
	sum   [sha256.Size]byte // content as last seen or written by us
	mode  os.FileMode
	users int // searches in the file not yet released; guarded by fileTracker.mu
}

func newFileTracker() *fileTracker { return &fileTracker{files: map[string]*trackedFile{}} }

// track records path's current content unless a search in the file is
// running already. Call it before searching a theorem of the file, and call
// release once the search and its write-back have ended.
func (ft *fileTracker) track(path string) (release func(), err error) {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	tf := ft.files[path]
	if tf == nil {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		info, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("stat %s: %w", path, err)
		}
		tf = &trackedFile{sum: sha256.Sum256(data), mode: info.Mode().Perm()}
		ft.files[path] = tf
	}
	tf.users++
	var once sync.Once
	return func() {
		once.Do(func() {
			ft.mu.Lock()
			defer ft.mu.Unlock()
			if tf.users--; tf.users == 0 && ft.files[path] == tf {
				delete(ft.files, path)
			}
		})
	}, nil
}

// writeProof replaces the proof body of declaration fullName in path with
// tactics, atomically; nothing else in the file changes. It refuses when
// the file changed since it was tracked (other than by this tracker) or
// when the declaration no longer uses sorry.
func (ft *fileTracker) writeProof(path, fullName string, tactics []string) error {
	ft.mu.Lock()
	tf := ft.files[path]
	ft.mu.Unlock()
	if tf == nil {
		return fmt.Errorf("write back %s: no search in the file is being tracked", path)
	}
	tf.mu.Lock()
	defer tf.mu.Unlock()
	cur, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("write back %s: %w", path, err)
	}
	if sha256.Sum256(cur) != tf.sum {
		return fmt.Errorf("write back %s: %w", path, errFileChanged)
	}
	src, err := leanrpc.ParseSource(path, string(cur))
	if err != nil {
		return fmt.Errorf("write back %s: %w", path, err)
	}
	d := src.Decl(fullName)
	switch {
	case d == nil:
		return fmt.Errorf("write back %s: declaration %s is gone", path, fullName)
	case !d.HasSorry || d.BodyStart < 0:
		return fmt.Errorf("write back %s: %s has no sorry to replace", path, fullName)
	}
	body := renderProofBody(tactics, declIndent(src.Text, d.Start))
	out, err := replaceSpan(cur, d.BodyStart, d.BodyEnd, body)
	if err != nil {
		return fmt.Errorf("write back %s: %w", path, err)
	}
	if err := atomicWrite(path, out, tf.mode); err != nil {
		return err
	}
	tf.sum = sha256.Sum256(out)
	return nil
}

// declIndent is the column of the line where a declaration starts.
func declIndent(text string, start int) int {
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	return len(text[lineStart:start]) - len(strings.TrimLeft(text[lineStart:start], " \t"))
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
