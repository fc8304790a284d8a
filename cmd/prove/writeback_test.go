package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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

func TestWriteBackReplacesOnlyTheBody(t *testing.T) {
	src := "theorem a : 1 = 1 := by sorry\n\ntheorem b : 2 = 2 := by sorry\n"
	path := filepath.Join(t.TempDir(), "T.lean")
	if err := os.WriteFile(path, []byte(src), 0o640); err != nil {
		t.Fatal(err)
	}
	snap, data, err := takeSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	second := strings.LastIndex(string(data), "by sorry")
	if err := writeBack(snap, second, second+len("by sorry"), "by rfl"); err != nil {
		t.Fatalf("writeBack: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "theorem a : 1 = 1 := by sorry\n\ntheorem b : 2 = 2 := by rfl\n"
	if string(got) != want {
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
}

func TestWriteBackRefusesAChangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "T.lean")
	orig := "theorem a : 1 = 1 := by sorry\n"
	if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	snap, _, err := takeSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := orig + "-- the user typed this while the search ran\n"
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	err = writeBack(snap, 22, 30, "by rfl")
	if !errors.Is(err, errFileChanged) {
		t.Fatalf("writeBack over an edited file: err = %v, want errFileChanged", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != edited {
		t.Errorf("edited file was modified:\n%s", got)
	}
}

func TestReplaceSpanRejectsBadSpans(t *testing.T) {
	for _, span := range [][2]int{{-1, 2}, {3, 2}, {0, 100}} {
		if _, err := replaceSpan([]byte("abc"), span[0], span[1], "x"); err == nil {
			t.Errorf("replaceSpan(%v) succeeded, want an error", span)
		}
	}
}
