package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/sourcegraph/conc/pool"
)

// A batchTarget is one theorem with sorry that a batch tries to prove.
type batchTarget struct {
	File    string // as given on the command line or found under a folder
	Theorem string // full name
	Line    int
}

func (t batchTarget) key() string { return t.File + "#" + t.Theorem }

// resultStore keeps a batch's results as they finish, so that a killed
// batch run again with the same arguments resumes where it stopped.
type resultStore interface {
	// BeginRun records the run's manifest unless the run exists, and returns
	// the results stored for it so far, by theorem key.
	BeginRun(ctx context.Context, runID string, manifest []kv) (map[string]theoremResult, error)
	// PutResult stores one result durably before returning. Storing a
	// theorem's result twice keeps the last.
	PutResult(ctx context.Context, runID, key string, r theoremResult) error
}

// batchProgress is told about each theorem as it starts and ends. The
// terminal display and the plain log both implement it.
type batchProgress interface {
	Start(total, done, proved int)
	Finished(r theoremResult)
	Stop()
}

// batchRunner proves targets in parallel, one Lean document each, writing
// every result to the store as soon as it is known.
type batchRunner struct {
	prove    proveFunc
	store    resultStore
	progress batchProgress
	log      zerolog.Logger
	workers  int
	base     proveRequest // budget, policy, project for every theorem
}

// runID names a batch by what determines its results: the same targets and
// settings give the same ID, which is what makes a rerun resume.
func runID(targets []batchTarget, manifest []kv) string {
	h := sha256.New()
	keys := make([]string, len(targets))
	for i, t := range targets {
		keys[i] = t.key()
	}
	sort.Strings(keys)
	for _, k := range keys {
		io.WriteString(h, k+"\n")
	}
	for _, m := range manifest {
		switch m.Key {
		case "started", "commit", "workers":
			// Not part of what the run computes: each theorem's search is
			// the same whatever the parallelism, so a rerun with other
			// --workers resumes.
			continue
		}
		io.WriteString(h, m.Key+"="+m.Value+"\n")
	}
	return "b-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// run proves every target not already done in runID and returns all the
// run's results in target order, with proofs that assumed theorems proved
// in the same run upgraded (see settleAssumptions).
func (b *batchRunner) run(ctx context.Context, id string, manifest []kv, targets []batchTarget) ([]theoremResult, error) {
	done, err := b.store.BeginRun(ctx, id, manifest)
	if err != nil {
		return nil, fmt.Errorf("batch %s: %w", id, err)
	}
	var todo []batchTarget
	for _, t := range targets {
		if _, ok := done[t.key()]; !ok {
			todo = append(todo, t)
		}
	}
	b.log.Info().Str("run", id).Int("theorems", len(targets)).Int("already_done", len(targets)-len(todo)).Msg("batch")
	provedBefore := 0
	for _, r := range done {
		if r.fullyProved() {
			provedBefore++
		}
	}
	b.progress.Start(len(targets), len(targets)-len(todo), provedBefore)
	defer b.progress.Stop()

	var mu sync.Mutex // guards done
	// A failing store stops the batch at once (its results could not be
	// kept), and that failure, not the cancellation of the others, is the
	// error the batch returns.
	p := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError().WithMaxGoroutines(b.workers)
	for _, t := range todo {
		p.Go(func(ctx context.Context) error {
			r, err := b.proveOne(ctx, t)
			if err != nil {
				return err
			}
			if err := b.store.PutResult(context.WithoutCancel(ctx), id, t.key(), r); err != nil {
				return fmt.Errorf("store result of %s: %w", t.key(), err)
			}
			mu.Lock()
			done[t.key()] = r
			mu.Unlock()
			b.progress.Finished(r)
			return nil
		})
	}
	if err := p.Wait(); err != nil {
		return nil, err
	}
	out := make([]theoremResult, 0, len(targets))
	for _, t := range targets {
		out = append(out, done[t.key()])
	}
	return settleAssumptions(out), nil
}

// proveOne proves one target. A search that fails for reasons of its own (a
// theorem Lean cannot elaborate, say) is a result, not a batch failure; only
// cancellation stops the batch, and then the target is left for the rerun.
func (b *batchRunner) proveOne(ctx context.Context, t batchTarget) (theoremResult, error) {
	req := b.base
	req.Theorem, req.File = t.Theorem, t.File
	start := time.Now()
	res, err := b.prove(ctx, req)
	if ctx.Err() != nil {
		return theoremResult{}, ctx.Err()
	}
	if err != nil {
		b.log.Warn().Str("theorem", t.Theorem).Err(err).Msg("search failed")
		return theoremResult{File: t.File, Theorem: t.Theorem, Elapsed: time.Since(start), Stop: "error: " + err.Error()}, nil
	}
	r := res.asTheoremResult()
	r.File, r.Theorem = t.File, t.Theorem // as the batch names them
	if r.Elapsed == 0 {
		r.Elapsed = time.Since(start)
	}
	return r, nil
}

// settleAssumptions clears the assumptions of proofs whose assumed theorems
// were themselves proved in this run, transitively: each proof was verified
// against the same statements, so together they prove the theorem outright.
// An assumption on a theorem that stays unproven is kept.
func settleAssumptions(rs []theoremResult) []theoremResult {
	provedByName := map[string]int{}
	for i, r := range rs {
		if r.Proved {
			provedByName[r.Theorem] = i
		}
	}
	for changed := true; changed; {
		changed = false
		for i := range rs {
			r := &rs[i]
			if !r.Proved || len(r.Assuming) == 0 {
				continue
			}
			var left []string
			for _, dep := range r.Assuming {
				j, ok := provedByName[dep]
				if !ok || !rs[j].fullyProved() {
					left = append(left, dep)
				}
			}
			if len(left) < len(r.Assuming) {
				r.Assuming = left
				changed = true
			}
		}
	}
	return rs
}

// plainProgress logs one line per finished theorem, for logs and pipes.
type plainProgress struct {
	w           io.Writer
	mu          sync.Mutex
	total, done int
}

func (p *plainProgress) Start(total, done, proved int) {
	p.total, p.done = total, done
	if done > 0 {
		fmt.Fprintf(p.w, "resuming: %d of %d theorems already done (%d proved)\n", done, total, proved)
	}
}

func (p *plainProgress) Finished(r theoremResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	status := "not proved"
	switch {
	case r.fullyProved():
		status = "proved"
	case r.Proved:
		status = "proved, assuming " + strings.Join(r.Assuming, ", ")
	}
	fmt.Fprintf(p.w, "[%d/%d] %s %s (%s, %.1fs)\n", p.done, p.total, r.Theorem, status, r.Stop, r.Elapsed.Seconds())
}

func (p *plainProgress) Stop() {}
