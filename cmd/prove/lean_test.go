package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResolvePolicy(t *testing.T) {
	bare := t.TempDir()
	trained := t.TempDir()
	model := filepath.Join(trained, defaultModel)
	if err := os.MkdirAll(filepath.Dir(model), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(model, []byte("model"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec, root, want string
	}{
		{"auto", bare, "portfolio"},
		{"auto", trained, "portfolio+learned:" + model},
		{"frequency+portfolio", trained, "frequency+portfolio"},
	}
	for _, tt := range tests {
		if got := resolvePolicy(tt.spec, tt.root); got != tt.want {
			t.Errorf("resolvePolicy(%q, %s) = %q, want %q", tt.spec, tt.root, got, tt.want)
		}
	}
}
