package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRenderProofBody(t *testing.T) {
	tests := []struct {
		name    string
		tactics []string
		indent  int
		want    string
	}{
		{"one tactic stays inline", []string{"omega"}, 0, "by omega"},
		{"several tactics get lines", []string{"intro n", "simp"}, 0, "by\n  intro n\n  simp"},
		{"indent follows the declaration", []string{"intro n", "omega"}, 2, "by\n    intro n\n    omega"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := renderProofBody(tt.tactics, tt.indent); got != tt.want {
				t.Errorf("renderProofBody(%q, %d) = %q, want %q", tt.tactics, tt.indent, got, tt.want)
			}
		})
	}
}

func writeLean(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "T.lean")
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestWriteProofReplacesOnlyTheBody(t *testing.T) {
	src := "namespace N\ntheorem a : 1 = 1 := by sorry\n\ntheorem b (n : Nat) : n = n := by\n  sorry\nend N\n"
	path := writeLean(t, src, 0o640)
	ft := newFileTracker()
	if _, err := ft.track(path); err != nil {
		t.Fatal(err)
	}
	// Two proofs in one file: the tracker's own first write must not count
	// as someone else's edit.
	if err := ft.writeProof(path, "N.b", []string{"intro", "rfl"}); err != nil {
		t.Fatalf("writeProof N.b: %v", err)
	}
	if err := ft.writeProof(path, "N.a", []string{"rfl"}); err != nil {
		t.Fatalf("writeProof N.a: %v", err)
	}
	want := "namespace N\ntheorem a : 1 = 1 := by rfl\n\ntheorem b (n : Nat) : n = n := by\n  intro\n  rfl\nend N\n"
	if got := readFile(t, path); got != want {
		t.Errorf("file after write-back:\n%s\nwant:\n%s", got, want)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode after write-back = %v, want 0640", info.Mode().Perm())
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".T.lean.prove-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
	if err := ft.writeProof(path, "N.a", []string{"rfl"}); err == nil {
		t.Error("a second proof of N.a was written over a proof")
	}
}

func TestWriteProofRefusesAChangedFile(t *testing.T) {
	orig := "theorem a : 1 = 1 := by sorry\n"
	path := writeLean(t, orig, 0o644)
	ft := newFileTracker()
	if _, err := ft.track(path); err != nil {
		t.Fatal(err)
	}
	edited := orig + "-- the user typed this while the search ran\n"
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	err := ft.writeProof(path, "a", []string{"rfl"})
	if !errors.Is(err, errFileChanged) {
		t.Fatalf("writeProof over an edited file: err = %v, want errFileChanged", err)
	}
	if got := readFile(t, path); got != edited {
		t.Errorf("edited file was modified:\n%s", got)
	}
}

// TestWriteProofAfterAnEditBetweenSearches: an edit made while no search in
// the file ran is the file the next search starts from, not an edit to
// protect (a service lives for days; a batch for hours).
func TestWriteProofAfterAnEditBetweenSearches(t *testing.T) {
	orig := "theorem a : 1 = 1 := by sorry\n"
	path := writeLean(t, orig, 0o644)
	ft := newFileTracker()
	release, err := ft.track(path)
	if err != nil {
		t.Fatal(err)
	}
	release() // the first search ended without writing
	release() // a second call changes nothing
	edited := "-- edited between searches\n" + orig
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	release, err = ft.track(path)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := ft.writeProof(path, "a", []string{"rfl"}); err != nil {
		t.Fatalf("writeProof after an edit made between searches: %v", err)
	}
	want := "-- edited between searches\ntheorem a : 1 = 1 := by rfl\n"
	if got := readFile(t, path); got != want {
		t.Errorf("file after write-back:\n%s\nwant:\n%s", got, want)
	}
}

// TestTrackKeepsTheFileWhileASearchRuns: releasing one of two searches in a
// file must not forget the content the other started from.
func TestTrackKeepsTheFileWhileASearchRuns(t *testing.T) {
	orig := "theorem a : 1 = 1 := by sorry\n"
	path := writeLean(t, orig, 0o644)
	ft := newFileTracker()
	releaseA, err := ft.track(path)
	if err != nil {
		t.Fatal(err)
	}
	releaseB, err := ft.track(path)
	if err != nil {
		t.Fatal(err)
	}
	defer releaseB()
	releaseA()
	if err := os.WriteFile(path, []byte(orig+"-- typed during B's search\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ft.writeProof(path, "a", []string{"rfl"}); !errors.Is(err, errFileChanged) {
		t.Fatalf("writeProof over an edit made during a running search: err = %v, want errFileChanged", err)
	}
}

func TestReplaceSpanRejectsBadSpans(t *testing.T) {
	for _, span := range [][2]int{{-1, 2}, {3, 2}, {0, 100}} {
		if _, err := replaceSpan([]byte("abc"), span[0], span[1], "x"); err == nil {
			t.Errorf("replaceSpan(%v) succeeded, want an error", span)
		}
	}
}
