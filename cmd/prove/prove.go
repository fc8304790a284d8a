package main

import (
	"context"
	"flag"
	"fmt"
	"time"
)

// budgetFlags are the limits every searching mode shares.
type budgetFlags struct {
	expansions int
	calls      int
	wall       time.Duration
	perTactic  time.Duration
	workers    int
	seed       int64
	mode       string
}

func (b *budgetFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&b.expansions, "expansions", 400, "maximum node expansions per theorem")
	fs.IntVar(&b.calls, "calls", 2000, "maximum prover (Lean) calls per theorem")
	fs.DurationVar(&b.wall, "wall", 5*time.Minute, "wall-clock limit per theorem")
	fs.DurationVar(&b.perTactic, "tactic-timeout", 10*time.Second, "time limit for one tactic")
	fs.IntVar(&b.workers, "workers", 2, "tactic applications in flight (Lean documents)")
	fs.Int64Var(&b.seed, "seed", 1, "random seed; equal seeds give equal searches on a deterministic prover")
	fs.StringVar(&b.mode, "mode", "mcts", "search mode: mcts or bestfirst")
}

// validate reports the first unusable budget as a usage error naming its flag.
func (b *budgetFlags) validate() error {
	switch {
	case b.expansions <= 0:
		return usagef("--expansions must be positive, got %d", b.expansions)
	case b.calls <= 0:
		return usagef("--calls must be positive, got %d", b.calls)
	case b.wall <= 0:
		return usagef("--wall must be positive, got %v", b.wall)
	case b.perTactic <= 0:
		return usagef("--tactic-timeout must be positive, got %v", b.perTactic)
	case b.workers <= 0:
		return usagef("--workers must be positive, got %d", b.workers)
	}
	switch b.mode {
	case "mcts", "bestfirst":
	default:
		return usagef("--mode must be mcts or bestfirst, got %q", b.mode)
	}
	return nil
}

// proveFlags are the flags of every mode that proves theorems: where the
// project is, which policy proposes tactics, and the budget.
type proveFlags struct {
	project string
	policy  string
	budget  budgetFlags
}

func (p *proveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.project, "project", "theorems", "Lake project directory (holds lakefile.lean or lakefile.toml)")
	fs.StringVar(&p.policy, "policy", "portfolio", "tactic policy: portfolio, frequency, learned:MODEL, llm:MODEL@URL, or A+B for a mixture")
	p.budget.register(fs)
}

func (p *proveFlags) validate() error {
	if p.project == "" {
		return usagef("--project must name a directory")
	}
	if p.policy == "" {
		return usagef("--policy must not be empty")
	}
	return p.budget.validate()
}

// request fills a proveRequest with these flags as defaults.
func (p *proveFlags) request(theorem string) proveRequest {
	return proveRequest{
		Theorem: theorem, Project: p.project, Policy: p.policy, Mode: p.budget.mode,
		Expansions: p.budget.expansions, Calls: p.budget.calls,
		WallSeconds: p.budget.wall.Seconds(), Seed: p.budget.seed,
	}
}

// proveFunc returns the function that proves one theorem with Lean.
func (p *proveFlags) proveFunc(e *env) proveFunc {
	return func(ctx context.Context, req proveRequest) (*proveResult, error) {
		return nil, notImplemented("proving with Lean")
	}
}

func runProve(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "prove")
	theorem := fs.String("theorem", "", "full name of the theorem to prove (required)")
	var pf proveFlags
	pf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *theorem == "" {
		return usagef("--theorem NAME is required")
	}
	if err := pf.validate(); err != nil {
		return err
	}
	_, err := pf.proveFunc(e)(ctx, pf.request(*theorem))
	return err
}

// notImplemented is the answer of a mode that is not built yet.
func notImplemented(what string) error {
	return fmt.Errorf("%s: %w", what, errNotImplemented)
}
