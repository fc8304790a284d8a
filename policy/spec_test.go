package policy_test

import (
	"context"
	"errors"
	"path/filepath"
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
	good := []string{"portfolio", "portfolio+learned:" + model, "frequency", "learned:" + model, "learned:" + model + "+frequency", "llm:qwen@http://127.0.0.1:1/v1"}
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
	bad := []string{"", "magic", "learned:", "llm:qwen", "llm:@http://x", "frequency+bogus", "portfolio:junk", "frequency:x"}
	for _, spec := range bad {
		if _, err := policy.FromSpec(spec, env); !errors.Is(err, policy.ErrBadSpec) {
			t.Errorf("%q: err %v, want ErrBadSpec", spec, err)
		}
	}
	if _, err := policy.FromSpec("learned:/nonexistent/model", env); err == nil {
		t.Error("missing model accepted")
	}
}
