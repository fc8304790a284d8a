package leanrpc

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindTheorem(t *testing.T) {
	ctx := context.Background()
	proj := filepath.Join("testdata", "proj")
	tests := []struct{ name, want string }{
		{"Proj.multi", "Proj.multi"},
		{"multi", "Proj.multi"},                   // short name, unique
		{"Deep.term_mode", "Proj.Deep.term_mode"}, // partial namespace
		{"rooted", "rooted"},
	}
	for _, tt := range tests {
		tg, err := FindTheorem(ctx, proj, tt.name)
		if err != nil {
			t.Errorf("FindTheorem(%q): %v", tt.name, err)
			continue
		}
		if tg.Decl.FullName != tt.want || !strings.HasSuffix(tg.File, filepath.Join("Proj", "Basic.lean")) {
			t.Errorf("FindTheorem(%q) = %s in %s", tt.name, tg.Decl.FullName, tg.File)
		}
	}
	tg, err := FindTheorem(ctx, proj, "Proj.pending")
	if err != nil {
		t.Fatal(err)
	}
	if got := tg.Source.Text[tg.Decl.BodyStart:tg.Decl.BodyEnd]; got != "by sorry" {
		t.Errorf("pending body = %q", got)
	}
	if !strings.Contains(tg.Header(), "import Init.Omega") || !strings.Contains(tg.Context(), "variable (x : Nat)") {
		t.Errorf("header/context wrong: %q", tg.Context())
	}
}

func TestFindTheoremErrors(t *testing.T) {
	ctx := context.Background()
	_, err := FindTheorem(ctx, filepath.Join("testdata", "proj"), "Proj.two_step")
	if !errors.Is(err, ErrTheoremNotFound) || !strings.Contains(err.Error(), "closest names: Proj.two_steps") {
		t.Errorf("unknown name: %v", err)
	}
	// A file of another project (or of none) must not be elaborated in
	// this project's server.
	_, err = FindTheoremInFile(ctx, filepath.Join("testdata", "proj"), filepath.Join("testdata", "bad_end.lean"), "x")
	if !errors.Is(err, ErrOutsideProject) || !strings.Contains(err.Error(), "bad_end.lean") || !strings.Contains(err.Error(), "--project") {
		t.Errorf("file outside the project: %v", err)
	}
	_, err = FindTheorem(ctx, "testdata", "x")
	if !errors.Is(err, ErrNotLakeProject) || !strings.Contains(err.Error(), "lakefile.lean or lakefile.toml") {
		t.Errorf("not a project: %v", err)
	}
}

func TestCheckInProject(t *testing.T) {
	proj := filepath.Join("testdata", "proj")
	tests := []struct {
		file string
		ok   bool
	}{
		{filepath.Join(proj, "Proj", "Basic.lean"), true},
		{filepath.Join(proj, "..", "proj", "X.lean"), true},
		{filepath.Join("testdata", "bad_end.lean"), false},
		{filepath.Join("testdata", "projX", "A.lean"), false}, // a sibling whose name extends the project's
		{"/elsewhere/A.lean", false},
	}
	for _, tt := range tests {
		err := CheckInProject(proj, tt.file)
		if got := err == nil; got != tt.ok {
			t.Errorf("CheckInProject(%s, %s) = %v, want inside: %v", proj, tt.file, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrOutsideProject) {
			t.Errorf("CheckInProject(%s, %s) = %v, want ErrOutsideProject", proj, tt.file, err)
		}
	}
}
