package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
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

// registerWidenings registers --widenings, which every searching mode and
// bench share.
func registerWidenings(fs *flag.FlagSet, v *int) {
	fs.IntVar(v, "widenings", 3, "times a state whose proposed tactics all failed asks the policy again, for twice as many (0: never)")
}

// searchWidenings turns --widenings into search.Params.Widenings, where 0
// means the default and a negative value means never.
func searchWidenings(flag int) int {
	if flag == 0 {
		return -1
	}
	return flag
}

// proveFlags are the flags of every mode that proves theorems with Lean:
// where the project is, which policy proposes tactics, the budget, and how
// Lean runs.
type proveFlags struct {
	project           string
	policy            string
	budget            budgetFlags
	candidates        int
	widenings         int
	rollout           bool
	inOrder           bool
	selection         string
	cpuct, fpu        float64
	maxHeartbeats     int
	leanCommand       string
	allowNativeDecide bool
	llm               llmFlags
}

func (p *proveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.project, "project", "theorems", "Lake project directory (holds lakefile.lean or lakefile.toml)")
	fs.StringVar(&p.policy, "policy", "auto", "tactic policy: auto (portfolio, or portfolio:mathlib where the project requires Mathlib, plus the project's "+defaultModel+" when it exists), portfolio, portfolio:mathlib, learned:MODEL, llm:MODEL@URL, or A+B for a mixture; whatever the spec, the project's own lemmas declared before the theorem (in its file and the project files it imports) are mixed in")
	p.budget.register(fs)
	fs.IntVar(&p.candidates, "candidates", 16, "tactics the policy proposes per expanded state")
	registerWidenings(fs, &p.widenings)
	fs.BoolVar(&p.rollout, "rollout", true, "try a portfolio of finishing tactics (omega, decide, simp, rfl…) on each new state")
	fs.BoolVar(&p.inOrder, "in-order", true, "back results up in the order their tactics started, so a seed reproduces the search with several workers")
	fs.StringVar(&p.selection, "selection", "puct", "MCTS selection rule: puct or ucb1")
	fs.Float64Var(&p.cpuct, "cpuct", 0, "PUCT exploration constant (0: the engine's default, 1.25)")
	fs.Float64Var(&p.fpu, "fpu", 0, "first-play-value reduction for unvisited tactics (0: the engine's default, 0.2)")
	fs.IntVar(&p.maxHeartbeats, "max-heartbeats", 200000, "Lean's maxHeartbeats for each tactic")
	fs.StringVar(&p.leanCommand, "lean-command", "", "command that runs Lean's language server (default: lake serve, else lean --server)")
	fs.BoolVar(&p.allowNativeDecide, "allow-native-decide", false, "let policies use native_decide (trusts Lean's compiler)")
	p.llm.register(fs)
}

func (p *proveFlags) validate() error {
	switch {
	case p.project == "":
		return usagef("--project must name a directory")
	case p.policy == "":
		return usagef("--policy must not be empty")
	case p.candidates <= 0:
		return usagef("--candidates must be positive, got %d", p.candidates)
	case p.widenings < 0:
		return usagef("--widenings must not be negative, got %d (0 turns widening off)", p.widenings)
	case p.maxHeartbeats <= 0:
		return usagef("--max-heartbeats must be positive, got %d", p.maxHeartbeats)
	case p.cpuct < 0:
		return usagef("--cpuct must not be negative, got %v", p.cpuct)
	case p.fpu < 0:
		return usagef("--fpu must not be negative, got %v", p.fpu)
	}
	if _, err := search.ParseSelection(p.selection); err != nil {
		return usagef("--selection: %v", err)
	}
	if err := p.llm.validate(); err != nil {
		return err
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

func runProve(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "prove")
	theorem := fs.String("theorem", "", "full name of the theorem to prove (required)")
	file := fs.String("file", "", "the .lean file declaring the theorem (default: search the project)")
	write := fs.Bool("write", false, "replace the theorem's proof body in its file with the proof found")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	tree := fs.String("tree", "", "write the search graph to this file (Graphviz DOT for .dot/.gv, JSON otherwise)")
	db := fs.String("db", "", "bbolt store that records the result (and a proof's steps, for prove policy train --from-db) and keeps Lean's (state, tactic) outcomes for later runs in the same environment; it is opened before the search, so a store in use by another process fails the run at once")
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
	req := pf.request(*theorem)
	req.File, req.Write, req.TreeFile = *file, *write, *tree
	// The store is opened before the search, not after: a store held by
	// another process (or in a missing folder) fails the run before minutes
	// of search whose result could not be recorded, and the search reuses
	// the outcomes earlier runs stored.
	var st *corpus.Store
	if *db != "" {
		var err error
		if st, err = corpus.Open(*db, corpus.StoreOptions{}); err != nil {
			// err names the store's path.
			return fmt.Errorf("--db: nothing searched: %w", err)
		}
		defer func() {
			if cerr := st.Close(); cerr != nil {
				e.log.Warn().Err(cerr).Str("db", *db).Msg("closing the store")
			}
		}()
		req.Cache = st
	}
	backend := newLeanBackend(&pf, e.log)
	res, err := backend.prove(ctx, req)
	if cerr := backend.Close(); cerr != nil {
		e.log.Warn().Err(cerr).Msg("closing Lean")
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		printResult(e.stdout, res)
	}
	// Stored after printing: a write that fails (a full disk) must not
	// cost the proof just found.
	if st != nil {
		if err := storeResult(ctx, st, req, &pf, res); err != nil {
			return fmt.Errorf("--db %s: result not stored: %w", *db, err)
		}
	}
	if !res.Proved {
		return errNotProved
	}
	return nil
}

// storeResult records a single proof attempt in st as a run of one
// theorem, the same way batch records each of its theorems.
func storeResult(ctx context.Context, st *corpus.Store, req proveRequest, pf *proveFlags, res *proveResult) error {
	target := batchTarget{File: res.File, Theorem: res.Theorem, Line: res.Line}
	// The parallelism is the search's own (--workers), as batch records
	// its --workers.
	manifest := runManifest(req, pf, pf.budget.workers)
	id := runID([]batchTarget{target}, manifest)
	store := corpusResults{st}
	if _, err := store.BeginRun(ctx, id, manifest); err != nil {
		return err
	}
	return store.PutResult(ctx, id, target.key(), res.asTheoremResult())
}

// printResult writes a result for a person: the verdict, then the proof as
// it would appear in the file.
func printResult(w io.Writer, r *proveResult) {
	where := r.File
	if r.Line > 0 {
		where = fmt.Sprintf("%s:%d", r.File, r.Line)
	}
	stats := fmt.Sprintf("%.1fs, %d Lean calls, %d expansions", r.Elapsed.Seconds(), r.ProverCalls, r.Expansions)
	switch {
	case r.Proved && len(r.Assuming) > 0:
		fmt.Fprintf(w, "proved %s (%s), assuming the unproven %s (%s)\n", r.Theorem, where, strings.Join(r.Assuming, ", "), stats)
	case r.Proved:
		fmt.Fprintf(w, "proved %s (%s) (%s)\n", r.Theorem, where, stats)
	default:
		fmt.Fprintf(w, "not proved: %s (%s): %s (%s)\n", r.Theorem, where, r.Stop, stats)
		return
	}
	fmt.Fprintln(w, renderProofBody(r.Proof, 0))
	if r.Written {
		fmt.Fprintf(w, "written to %s\n", r.File)
	}
}
