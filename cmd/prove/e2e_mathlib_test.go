package main

import (
	"encoding/json"
	"testing"
)

// mathlibLean states a goal that only Mathlib's positivity closes in
// mathlibScript: the stand-in server rejects every other tactic.
const mathlibLean = "theorem pos (x : Nat) : 0 < x ^ 2 + 1 := by sorry\n"

const mathlibScript = `{
  "theorems": {"pos": "x : Nat\n⊢ 0 < x ^ 2 + 1"},
  "steps": [
    {"state": "x : Nat\n⊢ 0 < x ^ 2 + 1", "tactic": "skip", "new_state": "x : Nat\n⊢ 0 < x ^ 2 + 1"},
    {"state": "x : Nat\n⊢ 0 < x ^ 2 + 1", "tactic": "positivity", "new_state": "no goals"}
  ]
}`

// TestProveOffersMathlibFinishersInAMathlibProject: in a project whose
// manifest pins Mathlib, auto and the closing rollout try Mathlib's
// finishers, and positivity proves the theorem; in a core project neither
// proposes it. Against the stand-in server; untested against a real Lean.
func TestProveOffersMathlibFinishersInAMathlibProject(t *testing.T) {
	tests := []struct {
		name     string
		manifest string // lake-manifest.json, or none
		args     []string
		code     int
	}{
		{"Mathlib project, rollout", `{"version": "1.1.0", "packages": [{"name": "mathlib"}], "name": "demo"}`, nil, 0},
		{"Mathlib project, policy alone", `{"version": "1.1.0", "packages": [{"name": "mathlib"}], "name": "demo"}`, []string{"--rollout=false"}, 0},
		{"core project", "", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"Demo.lean": mathlibLean}
			if tt.manifest != "" {
				files["lake-manifest.json"] = tt.manifest
			}
			dir := leanProject(t, files, mathlibScript)
			args := append([]string{"--theorem", "pos", "--project", dir, "--json", "--expansions", "8", "--workers", "1"}, tt.args...)
			code, stdout, stderr := runCLI(t, args...)
			if code != tt.code {
				t.Fatalf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			var res proveResult
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("--json output %q: %v", stdout, err)
			}
			if tt.code == 0 && (len(res.Proof) != 1 || res.Proof[0] != "positivity") {
				t.Errorf("proof %q, want positivity", res.Proof)
			}
		})
	}
}
