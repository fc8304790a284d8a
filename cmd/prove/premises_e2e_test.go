package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// premiseLean declares a lemma and, after it, a theorem that only that
// lemma closes (under premiseScript's semantics); later declares the
// same lemma after the theorem, where it cannot be cited.
const premiseLean = `def Safe (n : Nat) : Prop := n < 100

theorem safe_of_small {n : Nat} (h : n < 10) : Safe n := by
  unfold Safe
  omega

theorem safe_three (k : Nat) (hk : k < 10) : Safe k := by sorry
`

const premiseLater = `def Safe (n : Nat) : Prop := n < 100

theorem safe_three (k : Nat) (hk : k < 10) : Safe k := by sorry

theorem safe_of_small {n : Nat} (h : n < 10) : Safe n := by
  unfold Safe
  omega
`

const premiseScript = `{
  "theorems": {"safe_three": "k : Nat\nhk : k < 10\n⊢ Safe k"},
  "steps": [
    {"state": "k : Nat\nhk : k < 10\n⊢ Safe k", "tactic": "skip", "new_state": "k : Nat\nhk : k < 10\n⊢ Safe k"},
    {"state": "k : Nat\nhk : k < 10\n⊢ Safe k", "tactic": "exact safe_of_small hk", "new_state": "no goals"}
  ]
}`

// TestProveCitesAnEarlierLemma: the default policy offers the file's own
// earlier lemmas, applied to the goal's hypotheses; a lemma declared after
// the theorem is never offered.
func TestProveCitesAnEarlierLemma(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		proved bool
	}{
		{"lemma before the theorem", premiseLean, true},
		{"lemma after the theorem", premiseLater, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := leanProject(t, map[string]string{"Demo.lean": tt.file}, premiseScript)
			code, stdout, stderr := runCLI(t, "--theorem", "safe_three", "--project", dir, "--json", "--expansions", "10")
			var res proveResult
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("exit %d, --json output %q: %v\nstderr: %s", code, stdout, err, stderr)
			}
			if res.Proved != tt.proved {
				t.Fatalf("proved = %v, want %v (exit %d)\nstdout: %s\nstderr: %s", res.Proved, tt.proved, code, stdout, stderr)
			}
			if tt.proved && (code != 0 || strings.Join(res.Proof, ";") != "exact safe_of_small hk" || len(res.Assuming) != 0) {
				t.Errorf("exit %d, result %+v, want proved by exact safe_of_small hk with nothing assumed", code, res)
			}
			if !tt.proved && code != 1 {
				t.Errorf("exit %d, want 1 (not proved)", code)
			}
		})
	}
}
