package policy_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/policy"
)

func TestFromSpec(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	if err := policy.Train(smallExamples(), policy.LearnedParams{}).Save(model); err != nil {
		t.Fatal(err)
	}
	env := policy.SpecEnv{
		Train:  func() ([]policy.Example, error) { return smallExamples(), nil },
		Getenv: func(string) string { return "" },
	}
	good := []string{"portfolio", "portfolio:mathlib", "portfolio:mathlib+learned:" + model, "portfolio+learned:" + model, "frequency", "learned:" + model, "learned:" + model + "+frequency", "llm:qwen@http://127.0.0.1:1/v1"}
	for _, spec := range good {
		p, err := policy.FromSpec(spec, env)
		if err != nil {
			t.Errorf("%q: %v", spec, err)
			continue
		}
		if spec == "llm:qwen@http://127.0.0.1:1/v1" {
			continue // building it sends nothing
		}
		cands, err := p.Propose(context.Background(), corpus.ParseState("k : ℕ\n⊢ 0 + k = k"), 3)
		if err != nil || len(cands) == 0 {
			t.Errorf("%q proposes %v, %v", spec, cands, err)
		}
	}
	bad := []string{"", "magic", "learned:", "llm:qwen", "llm:@http://x", "frequency+bogus", "portfolio:junk", "portfolio:", "frequency:x"}
	for _, spec := range bad {
		if _, err := policy.FromSpec(spec, env); !errors.Is(err, policy.ErrBadSpec) {
			t.Errorf("%q: err %v, want ErrBadSpec", spec, err)
		}
	}
	if _, err := policy.FromSpec("learned:/nonexistent/model", env); err == nil {
		t.Error("missing model accepted")
	}
}

// TestFromSpecErrors: every refusal names the whole spec (the flag's value,
// as typed) and says what is wrong with which part.
func TestFromSpecErrors(t *testing.T) {
	env := policy.SpecEnv{
		Train:  func() ([]policy.Example, error) { return smallExamples(), nil },
		Getenv: func(string) string { return "" },
	}
	tests := []struct {
		spec    string
		mention []string
		bad     bool // ErrBadSpec, not an I/O error
	}{
		{"portfolio+", []string{`"portfolio+"`, "empty"}, true},
		{"+frequency", []string{`"+frequency"`, "empty"}, true},
		{"portfolio++frequency", []string{`"portfolio++frequency"`, "empty"}, true},
		{"frequency+bogus", []string{`"frequency+bogus"`, `"bogus"`, "learned:PATH"}, true},
		{"learned:", []string{`"learned:"`, "learned:PATH"}, true},
		{"llm:@http://x/v1", []string{`"llm:@http://x/v1"`, "llm:MODEL@URL"}, true},
		{"llm:qwen@", []string{`"llm:qwen@"`, "llm:MODEL@URL"}, true},
		{"llm:qwen@localhost:8000/v1", []string{`"llm:qwen@localhost:8000/v1"`, "http://"}, true},
		{"portfolio+learned:/nonexistent/m.model", []string{`"portfolio+learned:/nonexistent/m.model"`, "/nonexistent/m.model"}, false},
	}
	for _, tt := range tests {
		_, err := policy.FromSpec(tt.spec, env)
		if err == nil {
			t.Errorf("%q accepted", tt.spec)
			continue
		}
		if errors.Is(err, policy.ErrBadSpec) != tt.bad {
			t.Errorf("%q: err %v; ErrBadSpec %v, want %v", tt.spec, err, !tt.bad, tt.bad)
		}
		for _, m := range tt.mention {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("%q: err %q does not mention %s", tt.spec, err, m)
			}
		}
	}
	failing := env
	failing.Train = func() ([]policy.Example, error) { return nil, errors.New("the train part of --traces is empty") }
	if _, err := policy.FromSpec("portfolio+frequency", failing); err == nil || !strings.Contains(err.Error(), `"portfolio+frequency"`) {
		t.Errorf("frequency without examples: %v; want the spec named", err)
	}
}

// A spec of several parts fuses their answers by rank (their priors are on
// different scales); a single part keeps its own priors.
func TestFromSpecFusion(t *testing.T) {
	env := policy.SpecEnv{Train: func() ([]policy.Example, error) { return smallExamples(), nil }}
	for spec, want := range map[string]policy.Fusion{"portfolio": policy.FuseMean, "portfolio+frequency": policy.FuseRank} {
		p, err := policy.FromSpec(spec, env)
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := p.(*policy.Mixture); !ok || m.Fusion != want {
			t.Errorf("%q: %#v, want a Mixture with fusion %d", spec, p, want)
		}
	}
}
