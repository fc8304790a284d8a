package policy

import (
	"errors"
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

// specKinds is what a spec part may be, for error messages.
const specKinds = "portfolio, portfolio:mathlib, frequency, learned:PATH or llm:MODEL@URL, several joined by +"

// FromSpec builds a policy from a command-line spec: "portfolio" (or
// "portfolio:mathlib", with Mathlib's finishers),
// "frequency", "learned:PATH", "llm:MODEL@URL", or several joined by "+" (a
// Mixture with equal weights and reciprocal-rank fusion, ties going to the
// part named first). The result is always a Mixture, so every tactic is
// sanitized. Errors name the whole spec, and the part at fault when there
// are several.
func FromSpec(spec string, env SpecEnv) (search.Policy, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("%w: empty (want %s)", ErrBadSpec, specKinds)
	}
	parts := strings.Split(spec, "+")
	mix := &Mixture{Sanitize: env.Sanitize}
	if len(parts) > 1 {
		// The parts' priors are on different scales (the portfolio's ranks,
		// the learned policy's probabilities, an LLM's sample shares).
		mix.Fusion = FuseRank
	}
	for _, part := range parts {
		part = strings.TrimSpace(part)
		where := fmt.Sprintf("%q", spec)
		if len(parts) > 1 {
			where += fmt.Sprintf(", part %q", part)
		}
		if part == "" {
			return nil, fmt.Errorf("%w %q: an empty part (a + with nothing on one side; want %s)", ErrBadSpec, spec, specKinds)
		}
		p, err := fromPart(part, env)
		if errors.Is(err, ErrBadSpec) {
			// Put the spec where the reader looks for it: after "bad
			// policy spec", in front of the detail.
			detail := strings.TrimPrefix(err.Error(), ErrBadSpec.Error()+": ")
			return nil, fmt.Errorf("%w %s: %s", ErrBadSpec, where, detail)
		}
		if err != nil {
			return nil, fmt.Errorf("policy spec %s: %w", where, err)
		}
		mix.Policies = append(mix.Policies, p)
	}
	return mix, nil
}

// badPartf reports a fault of the part being parsed; FromSpec names the
// spec and part in front of it.
func badPartf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadSpec, fmt.Sprintf(format, args...))
}

func fromPart(part string, env SpecEnv) (search.Policy, error) {
	kind, arg, _ := strings.Cut(part, ":")
	if kind == "frequency" && part != kind {
		return nil, badPartf("%s takes no argument", kind)
	}
	switch kind {
	case "portfolio":
		switch part {
		case "portfolio":
			return NewPortfolio(), nil
		case "portfolio:mathlib":
			return NewMathlibPortfolio(), nil
		}
		return nil, badPartf("portfolio takes no argument but mathlib (portfolio:mathlib adds Mathlib's finishers), got %q", arg)
	case "frequency":
		if env.Train == nil {
			return nil, badPartf("frequency counts the tactics of training traces, which only prove policy eval and prove bench read (--traces); for prove, train a model and use learned:MODEL")
		}
		ex, err := env.Train()
		if err != nil {
			return nil, err
		}
		return NewFrequency(ex), nil
	case "learned":
		if arg == "" {
			return nil, badPartf("want learned:PATH to a model from 'prove policy train'")
		}
		return LoadLearned(arg)
	case "llm":
		model, url, ok := strings.Cut(arg, "@")
		if !ok || model == "" || url == "" {
			return nil, badPartf("want llm:MODEL@URL, e.g. llm:qwen2.5@http://localhost:8000/v1")
		}
		cfg := env.LLM
		cfg.Model, cfg.BaseURL = model, url
		return NewLLM(cfg, env.Getenv)
	}
	return nil, badPartf("unknown policy (want %s)", specKinds)
}
