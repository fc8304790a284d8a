package policy

import (
	"fmt"
	"strings"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/search"
)

// SpecEnv is what FromSpec needs besides the spec itself.
type SpecEnv struct {
	// Train supplies the examples the frequency policy counts (the train
	// part of the traces at hand); called only when the spec names it.
	Train func() ([]Example, error)
	// LLM holds the settings of llm: parts (samples, timeout, key variable);
	// the spec supplies Model and BaseURL.
	LLM LLMConfig
	// Getenv reads the API key variable (os.Getenv).
	Getenv   func(string) string
	Sanitize leanrpc.SanitizeOptions
}

// FromSpec builds a policy from a command-line spec: "portfolio",
// "frequency", "learned:PATH", "llm:MODEL@URL", or several joined by "+" (a
// Mixture with equal weights). The result is always a Mixture, so every tactic is
// sanitized.
func FromSpec(spec string, env SpecEnv) (search.Policy, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("%w: empty (want portfolio, frequency, learned:PATH, llm:MODEL@URL or A+B)", ErrBadSpec)
	}
	mix := &Mixture{Sanitize: env.Sanitize}
	for _, part := range strings.Split(spec, "+") {
		p, err := fromPart(strings.TrimSpace(part), env)
		if err != nil {
			return nil, err
		}
		mix.Policies = append(mix.Policies, p)
	}
	return mix, nil
}

func fromPart(part string, env SpecEnv) (search.Policy, error) {
	kind, arg, _ := strings.Cut(part, ":")
	if (kind == "portfolio" || kind == "frequency") && part != kind {
		return nil, fmt.Errorf("%w: %q: %s takes no argument", ErrBadSpec, part, kind)
	}
	switch kind {
	case "portfolio":
		return NewPortfolio(), nil
	case "frequency":
		if env.Train == nil {
			return nil, fmt.Errorf("%w: frequency counts the tactics of training traces, which only prove policy eval and prove bench read (--traces); for prove, train a model and use learned:MODEL", ErrBadSpec)
		}
		ex, err := env.Train()
		if err != nil {
			return nil, err
		}
		return NewFrequency(ex), nil
	case "learned":
		if arg == "" {
			return nil, fmt.Errorf("%w: %q: want learned:PATH to a model from 'prove policy train'", ErrBadSpec, part)
		}
		return LoadLearned(arg)
	case "llm":
		model, url, ok := strings.Cut(arg, "@")
		if !ok || model == "" || url == "" {
			return nil, fmt.Errorf("%w: %q: want llm:MODEL@URL, e.g. llm:qwen2.5@http://localhost:8000/v1", ErrBadSpec, part)
		}
		cfg := env.LLM
		cfg.Model, cfg.BaseURL = model, url
		return NewLLM(cfg, env.Getenv)
	}
	return nil, fmt.Errorf("%w: unknown policy %q (want portfolio, frequency, learned:PATH, llm:MODEL@URL, joined by +)", ErrBadSpec, part)
}
