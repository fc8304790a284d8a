package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/search"
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
	withMathlib := func(dir string) string {
		t.Helper()
		manifest := `{"version": "1.1.0", "packages": [{"name": "mathlib"}], "name": "demo"}`
		if err := os.WriteFile(filepath.Join(dir, "lake-manifest.json"), []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	mathlibBare := withMathlib(t.TempDir())
	mathlibTrained := t.TempDir()
	mathlibModel := filepath.Join(mathlibTrained, defaultModel)
	if err := os.MkdirAll(filepath.Dir(mathlibModel), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mathlibModel, []byte("model"), 0o644); err != nil {
		t.Fatal(err)
	}
	withMathlib(mathlibTrained)
	tests := []struct {
		spec, root, want string
	}{
		{"auto", bare, "portfolio"},
		{"auto", trained, "portfolio+learned:" + model},
		{"frequency+portfolio", trained, "frequency+portfolio"},
		{"auto", mathlibBare, "portfolio:mathlib"},
		{"auto", mathlibTrained, "portfolio:mathlib+learned:" + mathlibModel},
		{"portfolio", mathlibBare, "portfolio"}, // an explicit spec is kept
	}
	for _, tt := range tests {
		if got := resolvePolicy(tt.spec, tt.root); got != tt.want {
			t.Errorf("resolvePolicy(%q, %s) = %q, want %q", tt.spec, tt.root, got, tt.want)
		}
	}
	if got := closingTactics(false); !slices.Equal(got, search.DefaultClosingTactics) {
		t.Errorf("closing tactics without Mathlib: %q", got)
	}
	if got := closingTactics(true); !slices.Contains(got, "linarith") || !slices.Contains(got, "norm_num") || got[0] != search.DefaultClosingTactics[0] {
		t.Errorf("closing tactics with Mathlib: %q, want core's first, then norm_num and linarith", got)
	}
}

// TestBuildPolicyHonoursAllowNativeDecide: the policy's own sanitizer
// follows --allow-native-decide; a strict one dropped native_decide before
// the Lean session, which allows it, ever saw it.
func TestBuildPolicyHonoursAllowNativeDecide(t *testing.T) {
	llm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"c","object":"chat.completion","model":"m","choices":[`+
			`{"index":0,"message":{"role":"assistant","content":"native_decide"},"finish_reason":"stop"},`+
			`{"index":1,"message":{"role":"assistant","content":"decide"},"finish_reason":"stop"}]}`)
	}))
	defer llm.Close()
	for _, allow := range []bool{false, true} {
		pol, err := buildPolicy("llm:m@"+llm.URL, llmFlags{samples: 2, retries: -1}, leanrpc.SanitizeOptions{AllowNativeDecide: allow})
		if err != nil {
			t.Fatal(err)
		}
		cands, err := pol.Propose(context.Background(), search.State{Goals: []string{"⊢ 2 + 2 = 4"}}, 8)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cands {
			got = append(got, c.Tactic)
		}
		if has := slices.Contains(got, "native_decide"); has != allow || !slices.Contains(got, "decide") {
			t.Errorf("allow native_decide %v: proposals %q", allow, got)
		}
	}
}

func TestApplyVerdict(t *testing.T) {
	proof := []string{"exact lemma1"}
	tests := []struct {
		name         string
		v            leanrpc.Verdict
		fullyProved  bool
		proved       bool
		wantAssuming []string
	}{
		{"verified", leanrpc.Verdict{Status: leanrpc.Verified}, true, true, nil},
		{"assuming a lemma of the file", leanrpc.Verdict{Status: leanrpc.VerifiedAssuming, Assumes: []string{"lemma1"}}, false, true, []string{"lemma1"}},
		// sorryAx through an imported module: Lean names no declaration of
		// the file, and the proof must still not count as plainly proved.
		{"assuming an imported sorry", leanrpc.Verdict{Status: leanrpc.VerifiedAssuming}, false, true, []string{unprovenImport}},
		{"rejected", leanrpc.Verdict{Status: leanrpc.Rejected, Reason: "line 3: type mismatch"}, false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out proveResult
			applyVerdict(&out, tt.v, proof)
			r := theoremResult{Proved: out.Proved, Assuming: out.Assuming}
			if out.Proved != tt.proved || r.fullyProved() != tt.fullyProved || !slices.Equal(out.Assuming, tt.wantAssuming) {
				t.Errorf("applyVerdict(%+v) = proved %v, assuming %q (fully proved %v); want proved %v, assuming %q",
					tt.v, out.Proved, out.Assuming, r.fullyProved(), tt.proved, tt.wantAssuming)
			}
			if !slices.Equal(out.Proof, proof) {
				t.Errorf("proof = %q, want %q", out.Proof, proof)
			}
		})
	}
}
