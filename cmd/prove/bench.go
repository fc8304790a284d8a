package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/policy"
	"github.com/leanprove/leanprove/search"
)

// benchReport is the JSON summary of prove bench.
type benchReport struct {
	Theorems    int     `json:"theorems"`
	Proved      int     `json:"proved"`
	Rate        float64 `json:"rate"`
	Replayable  int     `json:"replayable"` // theorems whose recorded proof replays: the ceiling
	Policy      string  `json:"policy"`
	Mode        string  `json:"mode"`
	Budget      int     `json:"budget"`
	Candidates  int     `json:"candidates"`
	Widenings   int     `json:"widenings"` // re-expansions allowed per state whose candidates all failed
	Rollout     string  `json:"rollout"`   // closing rollout: none, core or mathlib
	Workers     int     `json:"workers"`
	Seed        int64   `json:"seed"`
	Split       string  `json:"split"`
	ProverCalls int     `json:"prover_calls"`
	Expansions  int     `json:"expansions"`
	// PolicyErrors counts Propose calls that failed (an LLM endpoint down,
	// say): each left a state unexpanded, which lowers the rate without
	// being the policy's judgement.
	PolicyErrors int     `json:"policy_errors"`
	Seconds      float64 `json:"seconds"`
	RunID        string  `json:"run_id,omitempty"`
}

// benchLine is one theorem's result under --verbose.
type benchLine struct {
	Theorem      string   `json:"theorem"`
	Proved       bool     `json:"proved"`
	Stop         string   `json:"stop"`
	Proof        []string `json:"proof,omitempty"`
	Expansions   int      `json:"expansions"`
	ProverCalls  int      `json:"prover_calls"`
	PolicyErrors int      `json:"policy_errors"`
	Seconds      float64  `json:"seconds"`
}

// runBench searches every theorem of the selected traces against the replay
// prover: a tactic works only where a recorded proof used it, so the rate
// is how often search and policy rediscover a human proof within budget.
func runBench(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "bench")
	var tf traceFlags
	tf.register(fs, "dev")
	spec := fs.String("policy", "frequency", "policy spec: portfolio, portfolio:mathlib, frequency, learned:MODEL, llm:MODEL@URL, or A+B")
	budget := fs.Int("budget", 64, "node expansions (policy calls) per theorem")
	calls := fs.Int("calls", 0, "prover calls per theorem (0: budget × candidates)")
	candidates := fs.Int("candidates", 16, "tactics the policy proposes per expansion")
	var widenings int
	registerWidenings(fs, &widenings)
	rollout := fs.String("rollout", "none", "closing rollout tried on every new state, as prove does: none, core (core Lean's finishers) or mathlib (and norm_num, linarith, positivity)")
	mode := fs.String("mode", "mcts", "search mode: mcts or bestfirst")
	workers := fs.Int("workers", 1, "prover calls in flight per theorem")
	seed := fs.Int64("seed", 1, "random seed")
	wall := fs.Duration("wall", time.Minute, "wall-clock limit per theorem")
	limit := fs.Int("limit", 0, "bench only the first N theorems (0: all)")
	db := fs.String("db", "", "record the run and its per-theorem results in this bbolt store")
	asJSON := fs.Bool("json", false, "print JSON (one object; per-theorem JSON lines before it with --verbose)")
	verbose := fs.Bool("verbose", false, "print one line per theorem")
	var llm llmFlags
	llm.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (trace files go after --traces)", fs.Arg(0))
	}
	if err := tf.validate(); err != nil {
		return err
	}
	m, err := search.ParseMode(*mode)
	if err != nil {
		return usagef("--mode: %v", err)
	}
	switch {
	case *budget <= 0:
		return usagef("--budget must be positive, got %d", *budget)
	case *candidates <= 0:
		return usagef("--candidates must be positive, got %d", *candidates)
	case widenings < 0:
		return usagef("--widenings must not be negative, got %d (0 turns widening off)", widenings)
	case *workers <= 0:
		return usagef("--workers must be positive, got %d", *workers)
	case *calls < 0:
		return usagef("--calls must not be negative, got %d", *calls)
	case *wall <= 0:
		return usagef("--wall must be positive, got %v", *wall)
	case *limit < 0:
		return usagef("--limit must not be negative, got %d (0 benches every theorem)", *limit)
	}
	if err := llm.validate(); err != nil {
		return err
	}
	var closing []string
	switch *rollout {
	case "none":
	case "core", "mathlib":
		closing = closingTactics(*rollout == "mathlib")
	default:
		return usagef("--rollout must be none, core or mathlib, got %q", *rollout)
	}
	if *calls == 0 {
		*calls = *budget * *candidates
	}
	lt, err := tf.load(e)
	if err != nil {
		return err
	}
	all, selected, train := lt.all, lt.selected, lt.train
	if !slices.ContainsFunc(selected, func(th corpus.Theorem) bool { return len(th.Steps) > 0 }) {
		// A rate over no theorems is no measurement: say so rather than
		// print 0 of 0.
		if tf.split == "all" { // no other part to suggest
			return usagef("no theorem in %s has recorded steps (%d theorems loaded): bench replays recorded tactics",
				tf.files.String(), len(all))
		}
		return usagef("no theorem with recorded steps in the %s part of %s (%d theorems loaded, --dev-percent %d): try --split all",
			tf.split, tf.files.String(), len(all), tf.devPercent)
	}
	pol, err := policyFromSpec(*spec, llm, train)
	if err != nil {
		return err
	}
	// The replay prover knows every recorded step of the files, train part
	// included: a search may pass through another theorem's states.
	replay := corpus.NewReplay(all)
	params := search.Params{Mode: m, MaxExpansions: *budget, MaxProverCalls: *calls, WallTime: *wall,
		Workers: *workers, CandidatesPerNode: *candidates, Widenings: searchWidenings(widenings), Seed: *seed, InOrder: true,
		ClosingRollout: closing != nil, ClosingTactics: closing}

	rep := benchReport{Policy: *spec, Mode: m.String(), Budget: *budget, Candidates: *candidates, Widenings: widenings, Rollout: *rollout,
		Workers: *workers, Seed: *seed, Split: tf.split}
	var st *corpus.Store
	if *db != "" {
		if st, err = corpus.Open(*db, corpus.StoreOptions{}); err != nil {
			return err
		}
		defer st.Close()
		rep.RunID, err = st.PutRun(corpus.Manifest{Project: "replay:" + tf.files.String(), Toolchain: "none (replay)",
			Policy: *spec, Mode: m.String(), Seed: *seed, Started: time.Now().UTC(), GitCommit: proverCommit(),
			Budget: map[string]string{"expansions": strconv.Itoa(*budget), "calls": strconv.Itoa(*calls),
				"candidates": strconv.Itoa(*candidates), "widenings": strconv.Itoa(widenings), "rollout": *rollout, "workers": strconv.Itoa(*workers), "wall": wall.String()}})
		if err != nil {
			return err
		}
	}
	start := time.Now()
	for _, th := range selected {
		root, ok := corpus.Root(th)
		if !ok {
			continue
		}
		if *limit > 0 && rep.Theorems >= *limit {
			break
		}
		rep.Theorems++
		if replay.Replayable(ctx, th) {
			rep.Replayable++
		}
		t0 := time.Now()
		res, err := search.Run(ctx, root, replay, pol, params)
		if ctx.Err() != nil {
			// search.Run ends a cancelled search with a result (stopped,
			// unproved): counting it would print a rate, and record
			// results, for theorems that were never searched.
			return fmt.Errorf("bench interrupted at %s (%d theorems done, no report): %w", th.FullName, rep.Theorems-1, ctx.Err())
		}
		if err != nil {
			return fmt.Errorf("bench %s: %w", th.FullName, err)
		}
		line := benchLine{Theorem: th.FullName, Proved: res.Proved, Stop: res.Stop.String(), Proof: res.Proof,
			Expansions: res.Stats.Expansions, ProverCalls: res.Stats.ProverCalls, PolicyErrors: res.Stats.PolicyErrors,
			Seconds: time.Since(t0).Seconds()}
		if res.Proved {
			rep.Proved++
		}
		rep.Expansions += res.Stats.Expansions
		rep.ProverCalls += res.Stats.ProverCalls
		rep.PolicyErrors += res.Stats.PolicyErrors
		if st != nil {
			if res.Proved {
				// Keep the states along the proof, so that
				// 'prove policy train --from-db' can learn from it.
				steps, err := corpus.ProofSteps(ctx, replay, root, res.Proof)
				if err == nil {
					err = st.CachePutAll(steps)
				}
				if err != nil {
					return err
				}
			}
			err := st.PutResult(rep.RunID, th.Key(), corpus.Result{Theorem: th.FullName, Proved: res.Proved, Proof: res.Proof,
				Root: root.String(), Stop: line.Stop, Elapsed: time.Since(t0), ProverCalls: line.ProverCalls,
				Expansions: line.Expansions, Finished: time.Now().UTC()})
			if err != nil {
				return err
			}
		}
		if *verbose {
			if *asJSON {
				if err := writeJSON(e.stdout, line); err != nil {
					return err
				}
			} else {
				status := "failed"
				if line.Proved {
					status = "proved"
				}
				fmt.Fprintf(e.stdout, "%-6s %-11s %4d exp %5d calls  %s\n", status, line.Stop, line.Expansions, line.ProverCalls, th.FullName)
			}
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	if rep.PolicyErrors > 0 {
		e.log.Warn().Int("policy_errors", rep.PolicyErrors).
			Msg("the policy failed on some states, which were left unexpanded: the rate understates it (check the LLM endpoint)")
	}
	if rep.Theorems > 0 {
		rep.Rate = float64(rep.Proved) / float64(rep.Theorems)
	}
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	fmt.Fprintf(e.stdout, "%s, %s, budget %d: rediscovered %d of %d theorems (%.1f%%; %d replayable) in %.1fs\n",
		*spec, m, *budget, rep.Proved, rep.Theorems, 100*rep.Rate, rep.Replayable, rep.Seconds)
	return nil
}

// policyFromSpec builds a policy, reporting a bad spec as a usage error.
func policyFromSpec(spec string, llm llmFlags, train []corpus.Theorem) (search.Policy, error) {
	pol, err := policy.FromSpec(spec, llm.specEnv(train))
	if err != nil {
		return nil, usagef("--policy: %v", err)
	}
	return pol, nil
}

// gitCommit is the VCS revision this binary was built from, when recorded.
func gitCommit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && rev != "" {
		rev += "-dirty"
	}
	return rev
}
