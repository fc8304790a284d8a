package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/leanrpc"
)

// runCorpus dispatches prove corpus import|extract|stats.
func runCorpus(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usagef("corpus needs a subcommand: import, extract or stats")
	}
	switch args[0] {
	case "import":
		return runCorpusImport(ctx, e, args[1:])
	case "extract":
		return runCorpusExtract(ctx, e, args[1:])
	case "stats":
		return runCorpusStats(ctx, e, args[1:])
	}
	return usagef("unknown corpus subcommand %q (want import, extract or stats)", args[0])
}

// listFlag collects a repeatable flag (--traces A --traces B, or A,B).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// traceFlags select trace files and the part of them to use. The split is
// by a hash of the theorem name (corpus.Split), so train and dev never share
// a theorem and every command agrees on which theorem is where.
type traceFlags struct {
	files      listFlag
	skipBad    bool
	split      string
	devPercent int
}

func (t *traceFlags) register(fs *flag.FlagSet, defaultSplit string) {
	fs.Var(&t.files, "traces", "trace file (LeanDojo JSON or JSON lines); repeatable")
	fs.BoolVar(&t.skipBad, "skip-bad", false, "skip malformed records (counted) instead of failing")
	fs.StringVar(&t.split, "split", defaultSplit, "part of the traces to use: train, dev or all (by theorem-name hash)")
	fs.IntVar(&t.devPercent, "dev-percent", 20, "share of theorems in the dev part, 0-100")
}

func (t *traceFlags) validate() error {
	if len(t.files) == 0 {
		return usagef("--traces FILE is required")
	}
	return t.validateSplit()
}

// validateSplit checks --split and --dev-percent alone, for commands whose
// theorems may come from a store rather than --traces.
func (t *traceFlags) validateSplit() error {
	switch t.split {
	case "train", "dev", "all":
	default:
		return usagef("--split must be train, dev or all, got %q", t.split)
	}
	if t.devPercent < 0 || t.devPercent > 100 {
		return usagef("--dev-percent must be within 0..100, got %d", t.devPercent)
	}
	return nil
}

// loadedTraces is what traceFlags.load read.
type loadedTraces struct {
	all, selected, train []corpus.Theorem // every theorem, the --split part, the train part
	skipped              int              // malformed records skipped under --skip-bad
}

// load reads the files and returns every theorem, the selected part, and
// the train part (what a baseline may learn from). It logs how many
// theorems an earlier file already held: those are used once.
func (t *traceFlags) load(e *env) (loadedTraces, error) {
	res, err := corpus.LoadFiles(t.files, corpus.Options{SkipBad: t.skipBad})
	if err != nil {
		return loadedTraces{}, err
	}
	if res.Duplicates > 0 {
		e.log.Info().Int("theorems", res.Duplicates).
			Msg("theorems found in more than one trace file are used once, as the first file records them")
	}
	lt := loadedTraces{all: res.Theorems, skipped: res.Skipped}
	lt.selected, lt.train = t.part(res.Theorems)
	return lt, nil
}

// part returns the theorems of ths that --split selects, and the train
// part (all of ths under --split all).
func (t *traceFlags) part(ths []corpus.Theorem) (selected, train []corpus.Theorem) {
	train, dev := corpus.Split(ths, t.devPercent)
	switch t.split {
	case "train":
		return train, train
	case "dev":
		return dev, train
	}
	return ths, ths
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func runCorpusImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "corpus import")
	db := fs.String("db", defaultDB, "bbolt store to import into (the one prove batch, report and policy train --from-db use)")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (counted) instead of failing")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("corpus import needs trace files: prove corpus import [--db FILE] FILE...")
	}
	res, err := corpus.LoadFiles(fs.Args(), corpus.Options{SkipBad: *skipBad})
	if err != nil {
		return err
	}
	st, err := corpus.Open(*db, corpus.StoreOptions{})
	if err != nil {
		return err
	}
	defer st.Close()
	added, err := st.PutTheorems(res.Theorems)
	if err != nil {
		return err
	}
	sum := map[string]any{"db": *db, "theorems": len(res.Theorems), "new": added,
		"steps": corpus.CountSteps(res.Theorems), "skipped": res.Skipped, "duplicates": res.Duplicates}
	if *asJSON {
		return writeJSON(e.stdout, sum)
	}
	fmt.Fprintf(e.stdout, "imported %d theorems (%d new), %d steps into %s; skipped %d malformed records and %d theorems already in an earlier file\n",
		len(res.Theorems), added, corpus.CountSteps(res.Theorems), *db, res.Skipped, res.Duplicates)
	return nil
}

func runCorpusExtract(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet(e, "corpus extract")
	out := fs.String("out", "", "write JSON lines here instead of stdout")
	skipBad := fs.Bool("skip-bad", false, "skip files that do not parse (counted) instead of failing")
	dynamic := fs.Bool("dynamic", false, "trace goals through Lean's server (needs --project and lake): (state, tactic, next state) records")
	project := fs.String("project", "", "Lake project root for --dynamic")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("corpus extract needs .lean files or directories: prove corpus extract [--dynamic --project DIR] [--out FILE] PATH...")
	}
	if *dynamic && *project == "" {
		return usagef("--dynamic needs --project DIR (the Lake project the files belong to)")
	}
	decls, skipped, err := corpus.ExtractStatic(ctx, fs.Args(), *skipBad)
	if err != nil {
		return err
	}
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("corpus extract: %w", err)
		}
		defer func() {
			// A failed close can lose the last records written.
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("corpus extract: write %s: %w", *out, cerr)
			}
		}()
		w = f
	}
	if *dynamic {
		return traceDynamic(ctx, e, w, *project, decls)
	}
	steps := 0
	for _, d := range decls {
		steps += len(d.Tactics)
		if err := writeJSON(w, d); err != nil {
			return fmt.Errorf("corpus extract: write: %w", err)
		}
	}
	e.log.Info().Int("theorems", len(decls)).Int("tactics", steps).Int("skipped_files", skipped).Msg("static extraction done")
	return nil
}

// corpusStats summarizes traces.
type corpusStats struct {
	Theorems     int           `json:"theorems"`
	WithSteps    int           `json:"with_steps"`
	Steps        int           `json:"steps"`
	Distinct     int           `json:"distinct_tactics"`
	Replayable   int           `json:"replayable"`
	Skipped      int           `json:"skipped"`
	Duplicates   int           `json:"duplicates"` // theorems already in an earlier file, counted once
	TopTactics   []tacticCount `json:"top_tactics"`
	MeanProofLen float64       `json:"mean_steps_per_theorem"`
}

type tacticCount struct {
	Tactic string `json:"tactic"`
	Count  int    `json:"count"`
}

func runCorpusStats(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "corpus stats")
	db := fs.String("db", "", "read the traces stored in this bbolt store instead of files")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (counted) instead of failing")
	asJSON := fs.Bool("json", false, "print JSON")
	top := fs.Int("top", 10, "how many of the most frequent tactics to list")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *top < 0 {
		return usagef("--top must not be negative, got %d", *top)
	}
	var ths []corpus.Theorem
	skipped, duplicates := 0, 0
	switch {
	case *db != "" && fs.NArg() > 0:
		return usagef("give either --db or trace files, not both")
	case *db != "":
		st, err := corpus.Open(*db, corpus.StoreOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		ths, err = st.Theorems()
		st.Close()
		if err != nil {
			return err
		}
	case fs.NArg() > 0:
		res, err := corpus.LoadFiles(fs.Args(), corpus.Options{SkipBad: *skipBad})
		if err != nil {
			return err
		}
		ths, skipped, duplicates = res.Theorems, res.Skipped, res.Duplicates
	default:
		return usagef("corpus stats needs trace files or --db FILE")
	}
	s := corpusStats{Theorems: len(ths), Steps: corpus.CountSteps(ths), Skipped: skipped, Duplicates: duplicates}
	counts := map[string]int{}
	replay := corpus.NewReplay(ths)
	for _, th := range ths {
		if len(th.Steps) == 0 {
			continue
		}
		s.WithSteps++
		if replay.Replayable(ctx, th) {
			s.Replayable++
		}
		for _, st := range th.Steps {
			counts[corpus.NormalizeTactic(st.Tactic)]++
		}
	}
	s.Distinct = len(counts)
	if s.WithSteps > 0 {
		s.MeanProofLen = float64(s.Steps) / float64(s.WithSteps)
	}
	for t, c := range counts {
		s.TopTactics = append(s.TopTactics, tacticCount{t, c})
	}
	sort.Slice(s.TopTactics, func(i, j int) bool {
		a, b := s.TopTactics[i], s.TopTactics[j]
		return a.Count > b.Count || a.Count == b.Count && a.Tactic < b.Tactic
	})
	if len(s.TopTactics) > *top {
		s.TopTactics = s.TopTactics[:max(*top, 0)]
	}
	if *asJSON {
		return writeJSON(e.stdout, s)
	}
	fmt.Fprintf(e.stdout, "theorems %d (%d with steps, %d replay to no goals), steps %d (%.2f per theorem), distinct tactics %d, skipped %d, duplicates %d\n",
		s.Theorems, s.WithSteps, s.Replayable, s.Steps, s.MeanProofLen, s.Distinct, s.Skipped, s.Duplicates)
	for _, tc := range s.TopTactics {
		fmt.Fprintf(e.stdout, "%6d  %s\n", tc.Count, tc.Tactic)
	}
	return nil
}

// traceDynamic opens each file holding an extracted theorem in Lean's
// server and writes the traced theorems as JSON lines that corpus.Load reads.
func traceDynamic(ctx context.Context, e *env, w io.Writer, project string, decls []corpus.StaticDecl) error {
	srv, err := leanrpc.Start(ctx, leanrpc.ServerConfig{ProjectDir: project})
	if err != nil {
		return fmt.Errorf("corpus extract --dynamic: %w", err)
	}
	defer srv.Close()
	seen := map[string]bool{}
	traced, steps := 0, 0
	for _, d := range decls {
		if seen[d.FilePath] {
			continue
		}
		seen[d.FilePath] = true
		src, err := leanrpc.ParseFile(d.FilePath)
		if err != nil {
			return err
		}
		ths, err := corpus.TraceDynamic(ctx, srv, src)
		if err != nil {
			return err
		}
		for _, th := range ths {
			traced++
			steps += len(th.Steps)
			if err := writeJSON(w, th); err != nil {
				return fmt.Errorf("corpus extract: write: %w", err)
			}
		}
	}
	e.log.Info().Int("theorems", traced).Int("steps", steps).Msg("dynamic tracing done")
	return nil
}
