package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leanprove/leanprove/corpus"
)

// runIDs collects repeated --run flags.
type runIDs []string

func (r *runIDs) String() string     { return strings.Join(*r, ",") }
func (r *runIDs) Set(v string) error { *r = append(*r, v); return nil }

// runReport prints stored runs side by side: automation rate overall and
// per file, time and prover-call distributions, and each run's manifest, as
// Markdown, JSON or an SVG chart.
func runReport(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet(e, "report")
	db := fs.String("db", defaultDB, "bbolt store written by prove batch or prove bench --db")
	var runs runIDs
	fs.Var(&runs, "run", "run ID to include (repeatable; default: every run in the store)")
	format := fs.String("format", "md", "md, json or svg")
	out := fs.String("out", "", "write the report to this file instead of standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	var render func(io.Writer, []runSummary) error
	switch *format {
	case "md":
		render = writeReportMarkdown
	case "json":
		render = writeReportJSON
	case "svg":
		render = writeReportSVG
	default:
		return usagef("--format must be md, json or svg, got %q", *format)
	}
	if _, err := os.Stat(*db); err != nil {
		return usagef("no store at %s (run prove batch first, or name one with --db)", *db)
	}
	st, err := corpus.Open(*db, corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	var manifests []corpus.Manifest
	if len(runs) == 0 {
		if manifests, err = st.Runs(); err != nil {
			return err
		}
	}
	for _, id := range runs {
		m, err := st.Run(id)
		if err != nil {
			return usagef("--run %s: %v", id, err)
		}
		manifests = append(manifests, m)
	}
	if len(manifests) == 0 {
		return usagef("the store %s holds no runs yet", *db)
	}
	var sums []runSummary
	for _, m := range manifests {
		v, err := runViewOf(st, m)
		if err != nil {
			return err
		}
		v.Results = settleAssumptions(v.Results)
		sums = append(sums, summarize(v))
	}
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("--out: %w", cerr)
			}
		}()
		w = f
	}
	if err := render(w, sums); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
