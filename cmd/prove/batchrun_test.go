package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"
)

// memStore is a resultStore in memory; it counts writes per theorem.
type memStore struct {
	mu      sync.Mutex
	runs    map[string]map[string]theoremResult
	puts    map[string]int
	failPut bool
}

func newMemStore() *memStore {
	return &memStore{runs: map[string]map[string]theoremResult{}, puts: map[string]int{}}
}

func (m *memStore) BeginRun(ctx context.Context, id string, manifest []kv) (map[string]theoremResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.runs[id] == nil {
		m.runs[id] = map[string]theoremResult{}
	}
	out := map[string]theoremResult{}
	for k, v := range m.runs[id] {
		out[k] = v
	}
	return out, nil
}

func (m *memStore) PutResult(ctx context.Context, id, key string, r theoremResult) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failPut {
		return errors.New("disk full")
	}
	m.runs[id][key] = r
	m.puts[key]++
	return nil
}

func targetsNamed(names ...string) []batchTarget {
	var ts []batchTarget
	for i, n := range names {
		ts = append(ts, batchTarget{File: "T.lean", Theorem: n, Line: i + 1})
	}
	return ts
}

func newTestRunner(prove proveFunc, store resultStore, workers int) *batchRunner {
	return &batchRunner{prove: prove, store: store, progress: &plainProgress{w: io.Discard},
		log: zerolog.Nop(), workers: workers}
}

func TestBatchResumesWithoutLossOrDuplicates(t *testing.T) {
	targets := targetsNamed("t1", "t2", "t3", "t4", "t5", "t6")
	store := newMemStore()
	var mu sync.Mutex
	calls := map[string]int{}

	// The first run is killed once three theorems are done.
	ctx, kill := context.WithCancel(context.Background())
	killer := func(ctx context.Context, req proveRequest) (*proveResult, error) {
		mu.Lock()
		calls[req.Theorem]++
		n := len(calls)
		mu.Unlock()
		if n > 3 {
			kill()
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return &proveResult{Theorem: req.Theorem, Proved: true, Proof: []string{"rfl"}, Stop: "proved"}, nil
	}
	id := runID(targets, []kv{{"policy", "p"}})
	if _, err := newTestRunner(killer, store, 1).run(ctx, id, nil, targets); !errors.Is(err, context.Canceled) {
		t.Fatalf("killed run returned %v, want context.Canceled", err)
	}
	if got := len(store.runs[id]); got != 3 {
		t.Fatalf("killed run stored %d results, want 3", got)
	}

	// The rerun proves only what is left.
	calls = map[string]int{}
	finisher := func(ctx context.Context, req proveRequest) (*proveResult, error) {
		mu.Lock()
		calls[req.Theorem]++
		mu.Unlock()
		return &proveResult{Theorem: req.Theorem, Proved: req.Theorem != "t5", Stop: "proved"}, nil
	}
	rs, err := newTestRunner(finisher, store, 3).run(context.Background(), id, nil, targets)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 || calls["t1"] != 0 || calls["t4"] != 1 {
		t.Errorf("rerun proved %v, want exactly t4, t5, t6", calls)
	}
	for key, n := range store.puts {
		if n != 1 {
			t.Errorf("%s stored %d times", key, n)
		}
	}
	if len(rs) != len(targets) {
		t.Fatalf("rerun returned %d results, want %d", len(rs), len(targets))
	}
	for i, r := range rs {
		if r.Theorem != targets[i].Theorem {
			t.Errorf("result %d is %s, want %s (target order)", i, r.Theorem, targets[i].Theorem)
		}
		if r.Proved != (r.Theorem != "t5") {
			t.Errorf("%s proved = %v", r.Theorem, r.Proved)
		}
	}
}

func TestBatchSearchErrorIsAResult(t *testing.T) {
	store := newMemStore()
	prove := func(ctx context.Context, req proveRequest) (*proveResult, error) {
		return nil, fmt.Errorf("%s does not elaborate", req.Theorem)
	}
	rs, err := newTestRunner(prove, store, 2).run(context.Background(), "r", nil, targetsNamed("a", "b"))
	if err != nil {
		t.Fatalf("batch failed on a theorem error: %v", err)
	}
	for _, r := range rs {
		if r.Proved || !strings.Contains(r.Stop, "does not elaborate") {
			t.Errorf("result %+v, want an unproved result naming the error", r)
		}
	}
}

func TestBatchStoreFailureStopsTheBatch(t *testing.T) {
	store := newMemStore()
	store.failPut = true
	_, err := newTestRunner(provedBy("rfl"), store, 1).run(context.Background(), "r", nil, targetsNamed("a"))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the store's failure", err)
	}
}

// TestBatchStoreFailureStopsTheOtherSearches: once a result cannot be
// stored, no further search runs (each would be lost too), and the error
// is the store's, not an interruption to resume from.
func TestBatchStoreFailureStopsTheOtherSearches(t *testing.T) {
	store := newMemStore()
	store.failPut = true
	var mu sync.Mutex
	var searched []string
	prove := func(ctx context.Context, req proveRequest) (*proveResult, error) {
		if ctx.Err() == nil {
			mu.Lock()
			searched = append(searched, req.Theorem)
			mu.Unlock()
		}
		return &proveResult{Theorem: req.Theorem, Stop: "expansions"}, nil
	}
	_, err := newTestRunner(prove, store, 1).run(context.Background(), "r", nil, targetsNamed("a", "b", "c"))
	if err == nil || !strings.Contains(err.Error(), "disk full") || errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want only the store's failure", err)
	}
	if len(searched) != 1 {
		t.Errorf("searches run after the store failed: %v, want only the first", searched)
	}
}

func TestRunIDDependsOnWhatTheRunComputes(t *testing.T) {
	a := runID(targetsNamed("x", "y"), []kv{{"policy", "p"}, {"started", "monday"}})
	b := runID(targetsNamed("y", "x"), []kv{{"policy", "p"}, {"started", "tuesday"}})
	c := runID(targetsNamed("x", "y"), []kv{{"policy", "q"}})
	if d := runID(targetsNamed("x", "y"), []kv{{"policy", "p"}, {"workers", "8"}}); d != a {
		t.Errorf("other --workers gave run %s, want %s: parallelism does not change results", d, a)
	}
	if a != b {
		t.Errorf("same targets and settings gave %s and %s", a, b)
	}
	if a == c {
		t.Errorf("different policy gave the same run id %s", a)
	}
}

func TestSettleAssumptions(t *testing.T) {
	rs := []theoremResult{
		{Theorem: "lemma1", Proved: true},
		{Theorem: "lemma2", Proved: true, Assuming: []string{"lemma1"}},
		{Theorem: "main", Proved: true, Assuming: []string{"lemma2", "lemma3"}},
		{Theorem: "lemma3", Proved: false},
		{Theorem: "top", Proved: true, Assuming: []string{"lemma2"}},
	}
	got := settleAssumptions(rs)
	want := map[string][]string{"lemma1": nil, "lemma2": nil, "main": {"lemma3"}, "lemma3": nil, "top": nil}
	for _, r := range got {
		if strings.Join(r.Assuming, ",") != strings.Join(want[r.Theorem], ",") {
			t.Errorf("%s assumes %v, want %v", r.Theorem, r.Assuming, want[r.Theorem])
		}
	}
}

// TestRunManifestHoldsTheRollout: a project that gains Mathlib changes the
// closing rollout even under an explicit --policy, and so the run: a rerun
// must not resume results searched with other finishers. So do --rollout
// and the selection settings.
func TestRunManifestHoldsTheRollout(t *testing.T) {
	core, mathlib := t.TempDir(), t.TempDir()
	manifest := `{"version": "1.1.0", "packages": [{"name": "mathlib"}], "name": "demo"}`
	if err := os.WriteFile(filepath.Join(mathlib, "lake-manifest.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := proveFlags{rollout: true, selection: "puct", policy: "portfolio"}
	id := func(project string, f proveFlags) string {
		req := proveRequest{Project: project, Policy: f.policy, Mode: "mcts"}
		return runID(targetsNamed("x"), runManifest(req, &f, 1))
	}
	base := id(core, flags)
	noRollout := flags
	noRollout.rollout = false
	ucb := flags
	ucb.selection = "ucb1"
	for name, other := range map[string]string{
		"Mathlib's rollout": id(mathlib, flags), "no rollout": id(core, noRollout), "ucb1": id(core, ucb),
	} {
		if other == base {
			t.Errorf("%s: same run ID %s as the core project's run", name, base)
		}
	}
	if again := id(core, flags); again != base {
		t.Errorf("same settings gave run IDs %s and %s", base, again)
	}
}
