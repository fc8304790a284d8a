package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/leanrpc"
)

// runBatch proves every theorem with sorry under the given paths, several
// at a time, storing each result as it finishes; rerun with the same
// arguments, it resumes. At the end it prints the automation rate.
func runBatch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "batch")
	var pf proveFlags
	pf.register(fs)
	pf.theoremsInParallel = true
	db := fs.String("db", defaultDB, "bbolt store for results; a rerun with the same arguments and store resumes")
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
	found, err := findTargets(ctx, fs.Args())
	if err != nil {
		return usageError{err}
	}
	for _, skipped := range found.skipped {
		e.log.Warn().Err(skipped).Msg("skipping a file that does not parse")
	}
	if len(found.targets) == 0 {
		return usagef("no theorem with sorry in %d .lean files under %s", found.files, strings.Join(fs.Args(), " "))
	}
	// Every theorem is elaborated by the server of --project: a file of
	// another project would fail theorem by theorem, so refuse it up front.
	for _, t := range found.targets {
		if err := leanrpc.CheckInProject(pf.project, t.File); err != nil {
			return usageError{err}
		}
	}
	st, err := corpus.Open(*db, corpus.StoreOptions{})
	if err != nil {
		return err
	}
	defer st.Close()

	manifest := []kv{
		{"toolchain", leanToolchain(pf.project)}, {"project", pf.project}, {"policy", resolvePolicy(pf.policy, pf.project)},
		{"mode", pf.budget.mode}, {"seed", fmt.Sprint(pf.budget.seed)},
		{"expansions", fmt.Sprint(pf.budget.expansions)}, {"calls", fmt.Sprint(pf.budget.calls)},
		{"wall", pf.budget.wall.String()}, {"tactic-timeout", pf.budget.perTactic.String()},
		{"candidates", fmt.Sprint(pf.candidates)}, {"workers", fmt.Sprint(pf.budget.workers)},
		{"commit", proverCommit()},
	}
	id := runID(found.targets, manifest)
	backend := newLeanBackend(&pf, e.log)
	defer func() {
		if err := backend.Close(); err != nil {
			e.log.Warn().Err(err).Msg("closing Lean")
		}
	}()
	base := pf.request("")
	base.Write = *write
	runner := &batchRunner{prove: backend.prove, store: corpusResults{st}, progress: newBatchProgress(e.stderr, e.stderrIsTerminal, e.logSink),
		log: e.log, workers: pf.budget.workers, base: base}
	results, err := runner.run(ctx, id, manifest, found.targets)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("batch %s interrupted; every finished theorem is stored in %s: run the same command again to resume", id, *db)
		}
		return err
	}
	m, err := st.Run(id)
	if err != nil {
		return err
	}
	view, err := runViewOf(st, m)
	if err != nil {
		return err
	}
	// The settled view: proofs that assumed lemmas proved in this run count.
	view.Results = results
	sum := []runSummary{summarize(view)}
	if *format == "json" {
		return writeReportJSON(e.stdout, sum)
	}
	if err := writeReportMarkdown(e.stdout, sum); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nautomation rate: %d/%d (%.1f%%) within %d expansions and %v per theorem; run %s in %s\n",
		sum[0].Proved, sum[0].Theorems, 100*sum[0].Rate, pf.budget.expansions, pf.budget.wall, id, *db)
	return nil
}
