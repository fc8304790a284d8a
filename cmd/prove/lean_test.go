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
