package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/leanrpc"
)

// batchJob is one batch run: which files, where the results go, how many
// theorems at a time, and the settings of every theorem's search. The CLI
// and the service both describe batches with it.
type batchJob struct {
	proveRequest          // project, policy, budget, write: for every theorem
	Paths        []string `json:"paths"`
	DB           string   `json:"db,omitempty"`
	Theorems     int      `json:"parallel,omitempty"` // theorems searched at once, one Lean document each
}

// batchOutcome is what a finished batch reports.
type batchOutcome struct {
	RunID   string     `json:"run_id"`
	DB      string     `json:"db"`
	Summary runSummary `json:"summary"`
	Skipped []string   `json:"skipped_files,omitempty"` // files that did not parse, with file and line
}

// executeBatch finds the job's theorems, proves them job.Theorems at a time
// through backend, storing each result as it finishes, and summarizes the
// run. A rerun of the same job resumes.
func executeBatch(ctx context.Context, log zerolog.Logger, backend *leanBackend, job batchJob, progress batchProgress) (*batchOutcome, error) {
	if len(job.Paths) == 0 {
		return nil, usagef("want one or more .lean files or folders, e.g. prove batch theorems/")
	}
	found, err := findTargets(ctx, job.Paths)
	if err != nil {
		return nil, usageError{err}
	}
	out := &batchOutcome{DB: job.DB}
	for _, skipped := range found.skipped {
		log.Warn().Err(skipped).Msg("skipping a file that does not parse")
		out.Skipped = append(out.Skipped, skipped.Error())
	}
	if len(found.targets) == 0 {
		return nil, usagef("no theorem with sorry in %d .lean files under %s", found.files, strings.Join(job.Paths, " "))
	}
	// Every theorem is elaborated by the server of the project: a file of
	// another project would fail theorem by theorem, so refuse it up front.
	for _, t := range found.targets {
		if err := leanrpc.CheckInProject(job.Project, t.File); err != nil {
			return nil, usageError{err}
		}
	}
	st, err := corpus.Open(job.DB, corpus.StoreOptions{})
	if err != nil {
		return nil, err
	}
	defer st.Close()

	manifest := runManifest(job.proveRequest, backend.flags, job.Theorems)
	out.RunID = runID(found.targets, manifest)
	base := job.proveRequest
	base.Workers = 1 // each theorem one document; parallelism is across theorems
	// Reruns (another budget, policy or seed) reuse Lean's outcomes from
	// this store instead of asking again.
	base.Cache = st
	runner := &batchRunner{prove: backend.prove, store: corpusResults{st}, progress: progress,
		log: log, workers: max(job.Theorems, 1), base: base}
	results, err := runner.run(ctx, out.RunID, manifest, found.targets)
	if err != nil {
		// Cancelled or out of time (the service's --request-timeout): either
		// way the finished theorems are kept.
		if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			return nil, fmt.Errorf("batch %s interrupted; every finished theorem is stored in %s: run the same batch again to resume", out.RunID, job.DB)
		}
		return nil, err
	}
	m, err := st.Run(out.RunID)
	if err != nil {
		return nil, err
	}
	view, err := runViewOf(st, m)
	if err != nil {
		return nil, err
	}
	// The settled view: proofs that assumed lemmas proved in this run count.
	view.Results = results
	out.Summary = summarize(view)
	return out, nil
}

// runManifest is what a stored run records so that it can be reproduced and
// compared: toolchain, project, policy as resolved, mode, seed, budgets,
// parallelism, the search and Lean settings that change what a search
// finds (the closing rollout as resolved for the project, selection,
// heartbeats), and the prover's commit. A batch resumes only a run whose
// manifest is the same, so a change of any of these starts a new run.
func runManifest(req proveRequest, f *proveFlags, parallel int) []kv {
	return []kv{
		{"toolchain", leanToolchain(req.Project)}, {"project", req.Project}, {"policy", resolvePolicy(req.Policy, req.Project)},
		{"mode", req.Mode}, {"seed", fmt.Sprint(req.Seed)},
		{"expansions", fmt.Sprint(req.Expansions)}, {"calls", fmt.Sprint(req.Calls)},
		{"wall", time.Duration(req.WallSeconds * float64(time.Second)).String()}, {"tactic-timeout", f.budget.perTactic.String()},
		{"candidates", fmt.Sprint(f.candidates)}, {"widenings", fmt.Sprint(f.widenings)}, {"workers", fmt.Sprint(parallel)},
		{"rollout", rolloutSetting(f.rollout, req.Project)}, {"selection", f.selection},
		{"cpuct", fmt.Sprint(f.cpuct)}, {"fpu", fmt.Sprint(f.fpu)},
		{"max-heartbeats", fmt.Sprint(f.maxHeartbeats)}, {"allow-native-decide", fmt.Sprint(f.allowNativeDecide)},
		{"commit", proverCommit()},
	}
}

// runBatch proves every theorem with sorry under the given paths, several
// at a time, storing each result as it finishes; rerun with the same
// arguments, it resumes. At the end it prints the automation rate.
func runBatch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "batch")
	var pf proveFlags
	pf.register(fs)
	db := fs.String("db", defaultDB, "bbolt store for results and Lean's (state, tactic) outcomes; a rerun with the same arguments and store resumes, and any run on it reuses the outcomes observed under the same toolchain, manifest, imported files, context and Lean settings")
	write := fs.Bool("write", false, "write each proof found into its file")
	format := fs.String("format", "md", "report printed at the end: md or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("want one or more .lean files or folders, e.g. prove batch theorems/")
	}
	if err := pf.validate(); err != nil {
		return err
	}
	if *format != "md" && *format != "json" {
		return usagef("--format must be md or json, got %q", *format)
	}
	job := batchJob{proveRequest: pf.request(""), Paths: fs.Args(), DB: *db, Theorems: pf.budget.workers}
	job.Write = *write
	backend := newLeanBackend(&pf, e.log)
	defer func() {
		if err := backend.Close(); err != nil {
			e.log.Warn().Err(err).Msg("closing Lean")
		}
	}()
	out, err := executeBatch(ctx, e.log, backend, job, newBatchProgress(e.stderr, e.stderrIsTerminal, e.logSink))
	if err != nil {
		return err
	}
	sum := []runSummary{out.Summary}
	if *format == "json" {
		return writeReportJSON(e.stdout, sum)
	}
	if err := writeReportMarkdown(e.stdout, sum); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nautomation rate: %d/%d (%.1f%%) within %d expansions and %v per theorem; run %s in %s\n",
		sum[0].Proved, sum[0].Theorems, 100*sum[0].Rate, pf.budget.expansions, pf.budget.wall, out.RunID, *db)
	return nil
}
