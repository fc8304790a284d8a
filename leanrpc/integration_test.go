package leanrpc_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/leanprove/leanprove/internal/testenv"
	"github.com/leanprove/leanprove/leanrpc"
)

// TestIntegrationRealLean runs small core-Lean theorems through a real
// `lake serve`. It needs lake on PATH (install Lean with elan) and skips
// otherwise; nothing here was run on the machine this was written on.
func TestIntegrationRealLean(t *testing.T) {
	testenv.NeedsLake(t)
	if testing.Short() {
		t.Skip("starts a real Lean server; skipped with -short")
	}
	dir := t.TempDir()
	files := map[string]string{
		"lakefile.toml": "name = \"itest\"\ndefaultTargets = [\"Itest\"]\n\n[[lean_lib]]\nname = \"Itest\"\n",
		"Itest.lean": "theorem add_zero_nat (n : Nat) : n + 0 = n := by\n  sorry\n\n" +
			"theorem small_arith (a b : Nat) (h : a ≤ b) : a < b + 1 := by\n  sorry\n\n" +
			"theorem decide_fact : 2 ^ 10 = 1024 := by\n  sorry\n\n" +
			"theorem uses_pending (n : Nat) : n + 0 = n := by\n  sorry\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "lake", "build")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("lake build: %v\n%s", err, out)
	}
	srv, err := leanrpc.Start(ctx, leanrpc.ServerConfig{ProjectDir: dir, Stderr: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tests := []struct {
		name   string
		steps  []string
		tactic string
		want   leanrpc.OutcomeKind
	}{
		{"add_zero_nat", nil, "simp", leanrpc.Proved},
		{"add_zero_nat", nil, "intro", leanrpc.Error},
		{"add_zero_nat", nil, "induction n", leanrpc.Goals},
		{"add_zero_nat", []string{"induction n"}, "all_goals simp", leanrpc.Proved},
		{"small_arith", nil, "omega", leanrpc.Proved},
		{"decide_fact", nil, "decide", leanrpc.Proved},
		{"decide_fact", nil, "exact (", leanrpc.Invalid},
	}
	for _, tt := range tests {
		target, err := leanrpc.FindTheorem(ctx, dir, tt.name)
		if err != nil {
			t.Fatal(err)
		}
		s := srv.NewSession(leanrpc.SessionConfig{Theorem: leanrpc.TheoremFromTarget(target)})
		out, err := s.Apply(ctx, tt.steps, tt.tactic)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if out.Kind != tt.want {
			t.Errorf("%s after %q: %q = %+v, want %v", tt.name, tt.steps, tt.tactic, out, tt.want)
		}
		if out.Kind == leanrpc.Proved {
			v, err := s.Verify(ctx, append(append([]string{}, tt.steps...), tt.tactic))
			if err != nil || v.Status != leanrpc.Verified {
				t.Errorf("%s: Verify = %+v, %v", tt.name, v, err)
			}
		}
		_ = s.Close(ctx)
	}
	// A proof that uses a still-sorry'd theorem is proved, assuming it.
	target, err := leanrpc.FindTheorem(ctx, dir, "uses_pending")
	if err != nil {
		t.Fatal(err)
	}
	s := srv.NewSession(leanrpc.SessionConfig{Theorem: leanrpc.TheoremFromTarget(target)})
	v, err := s.Verify(ctx, []string{"exact add_zero_nat n"})
	if err != nil || v.Status != leanrpc.VerifiedAssuming {
		t.Errorf("uses_pending: Verify = %+v, %v; want proved, assuming add_zero_nat", v, err)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("lean stderr: %s", p)
	return len(p), nil
}
