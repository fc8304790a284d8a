package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/search"
)

// cacheLean imports a project file, so that editing it must invalidate
// what the batch learned about the theorems below.
const cacheLean = `import Demo.Helper

theorem one : 1 = 1 := by sorry

theorem two (n : Nat) : n + 0 = n := by sorry

theorem three : 1 = 2 := by sorry
`

// leanCalls counts what the stand-in Lean server was asked in its protocol
// log (LEANRPCTEST_LOG): each tactic application is one didChange of a
// search document, each verification one didOpen of a fresh document.
type leanCalls struct{ applies, verifies int }

var (
	didChange     = regexp.MustCompile(`"method":"textDocument/didChange"`)
	verifyDidOpen = regexp.MustCompile(`"method":"textDocument/didOpen".*"uri":"file://[^"]*/V\d+_\d+\.lean"`)
)

// cliWithLog runs the CLI with the stand-in server logging to a fresh file
// and returns what it asked Lean besides the exit status and output. No
// log file means no server was started: nothing was asked.
func cliWithLog(t *testing.T, name string, args ...string) (code int, stdout, stderr string, c leanCalls) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	t.Setenv("LEANRPCTEST_LOG", logPath)
	code, stdout, stderr = runCLI(t, args...)
	data, err := os.ReadFile(logPath)
	if errors.Is(err, os.ErrNotExist) {
		return code, stdout, stderr, c
	}
	if err != nil {
		t.Fatalf("%s: the stand-in server's log: %v", name, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		// Count the client's messages only (the log also holds replies).
		switch {
		case didChange.MatchString(line):
			c.applies++
		case verifyDidOpen.MatchString(line):
			c.verifies++
		}
	}
	return code, stdout, stderr, c
}

// batchWithLog runs one batch that must prove two of cacheLean's three
// theorems and returns what it asked Lean.
func batchWithLog(t *testing.T, name string, args ...string) leanCalls {
	t.Helper()
	code, stdout, stderr, c := cliWithLog(t, name, args...)
	if code != 0 {
		t.Fatalf("%s: exit status %d\nstdout:\n%s\nstderr:\n%s", name, code, stdout, stderr)
	}
	if !strings.Contains(stdout, "automation rate: 2/3") {
		t.Errorf("%s: want 2 of 3 proved:\n%s", name, stdout)
	}
	return c
}

// TestBatchReusesLeanOutcomes: a second batch on the same store (another
// budget, so a new run) asks Lean only for each theorem's statement, the
// rest coming from the (state, tactic) cache; every proof is still
// verified on Lean. Editing an imported project file changes the
// environment, and the next batch asks Lean everything again.
func TestBatchReusesLeanOutcomes(t *testing.T) {
	dir := leanProject(t, map[string]string{
		"Demo.lean":        cacheLean,
		"Demo/Helper.lean": "theorem helper : True := trivial\n",
	}, batchScript)
	db := filepath.Join(t.TempDir(), "runs.db")
	batch := func(name string, calls string) leanCalls {
		return batchWithLog(t, name, "batch", "--project", dir, "--db", db, "--workers", "2",
			"--expansions", "10", "--calls", calls, filepath.Join(dir, "Demo.lean"))
	}
	first := batch("first", "2000")
	// A rerun with another --calls (it does not bind) is a new run that
	// searches exactly as the first did.
	second := batch("second", "1999")
	t.Logf("Lean calls: first %+v, second %+v", first, second)
	const theorems = 3 // each search reads its statement's goals on Lean
	if first.applies <= theorems {
		t.Fatalf("the first batch asked Lean %d times: too few to show reuse", first.applies)
	}
	if second.applies != theorems {
		t.Errorf("the second batch asked Lean %d times, want %d (the statements only; every tactic from the cache)", second.applies, theorems)
	}
	for name, c := range map[string]leanCalls{"first": first, "second": second} {
		if c.verifies != 2 {
			t.Errorf("%s batch verified %d proofs on Lean, want both", name, c.verifies)
		}
	}

	if err := os.WriteFile(filepath.Join(dir, "Demo", "Helper.lean"), []byte("theorem helper : True := by trivial\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := batch("after the edit", "1998")
	t.Logf("Lean calls after the edit: %+v", third)
	if third.applies != first.applies {
		t.Errorf("after an imported file changed, the batch asked Lean %d times, want %d as on an empty cache", third.applies, first.applies)
	}
}

// TestBatchWrongCacheEntryIsNotAProof: entries that claim every finishing
// tactic closes "three" (false: nothing does) are written under the key
// the batch uses. The search then believes it found a proof, but the
// verification on Lean rejects it: a wrong cache entry can cost time,
// never produce a false "proved".
func TestBatchWrongCacheEntryIsNotAProof(t *testing.T) {
	dir, db := poisonedProject(t)

	c := batchWithLog(t, "poisoned", "batch", "--project", dir, "--db", db, "--expansions", "10", filepath.Join(dir, "Demo.lean"))
	if c.verifies != 3 {
		t.Errorf("%d proofs verified on Lean, want 3 (two real, one from the wrong entries)", c.verifies)
	}
	assertRejectedOnVerification(t, db, "three")
}

// TestProveReusesLeanOutcomes: single-theorem prove with --db searches
// through the store's cache as batch does, so the same prove run again
// asks Lean only for the statement's goals (the `skip` that reads them is
// not cached), and a proof is still verified on Lean.
//
// The counts, from the stand-in's log: on "two", the portfolio tries rfl,
// assumption, trivial, omega and decide (errors: the script has no step
// for them) and then simp, which closes it: 1 + 6 applications. On
// "three", nothing closes 1 = 2: every one of the 16 candidates at the
// root (finishers, and the lemmas one and two before it in its file)
// fails; the root asks again for 32 (widening) and gets one more, which
// fails too, and the policy has no more: 1 + 17.
func TestProveReusesLeanOutcomes(t *testing.T) {
	dir := leanProject(t, map[string]string{
		"Demo.lean":        cacheLean,
		"Demo/Helper.lean": "theorem helper : True := trivial\n",
	}, batchScript)
	db := filepath.Join(t.TempDir(), "runs.db")
	tests := []struct {
		theorem       string
		code          int // 0 proved, 1 not proved
		first, second leanCalls
	}{
		{"two", 0, leanCalls{applies: 7, verifies: 1}, leanCalls{applies: 1, verifies: 1}},
		{"three", 1, leanCalls{applies: 18}, leanCalls{applies: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.theorem, func(t *testing.T) {
			prove := func(name string) leanCalls {
				// One worker: the search, and so the count, is the same every time.
				code, stdout, stderr, c := cliWithLog(t, name, "--theorem", tt.theorem, "--project", dir, "--db", db,
					"--workers", "1", "--expansions", "10")
				if code != tt.code {
					t.Fatalf("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", name, code, tt.code, stdout, stderr)
				}
				return c
			}
			first, second := prove("first"), prove("second")
			if first != tt.first || second != tt.second {
				t.Errorf("Lean calls: first %+v, second %+v; want %+v, then %+v", first, second, tt.first, tt.second)
			}
		})
	}
}

// TestProveWrongCacheEntryIsNotAProof: as for batch, wrong entries under
// the key single-theorem prove uses make its search believe it proved
// "three", and the verification on Lean rejects the proof.
func TestProveWrongCacheEntryIsNotAProof(t *testing.T) {
	dir, db := poisonedProject(t)

	code, stdout, stderr, c := cliWithLog(t, "poisoned", "--theorem", "three", "--project", dir, "--db", db, "--expansions", "10")
	if code != 1 || !strings.Contains(stdout, "proof rejected on verification") {
		t.Errorf("exit status %d, want 1 with the proof rejected\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if c.verifies != 1 {
		t.Errorf("%d proofs verified on Lean, want the one from the wrong entries", c.verifies)
	}
	assertRejectedOnVerification(t, db, "three")
}

// TestProveStoreThatCannotOpenFailsBeforeSearch: a --db held by another
// open handle (another prove process, a running batch) or in a missing
// folder fails the run with an error naming --db and the store, before
// Lean is asked anything: no search whose result could not be stored.
func TestProveStoreThatCannotOpenFailsBeforeSearch(t *testing.T) {
	dir := leanProject(t, map[string]string{"Demo.lean": cacheLean}, batchScript)
	held := filepath.Join(t.TempDir(), "runs.db")
	st, err := corpus.Open(held, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tests := []struct {
		name, db, want string
	}{
		{"held by another handle", held, "in use"},
		{"in a missing folder", filepath.Join(t.TempDir(), "missing", "runs.db"), "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr, c := cliWithLog(t, "refused", "--theorem", "two", "--project", dir, "--db", tt.db)
			if code != 2 || !strings.Contains(stderr, "--db") || !strings.Contains(stderr, tt.db) || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit status %d, stderr:\n%s\nwant 2, naming --db %s, saying %q", code, stderr, tt.db, tt.want)
			}
			if stdout != "" || c != (leanCalls{}) {
				t.Errorf("searched anyway: Lean calls %+v, stdout %q", c, stdout)
			}
		})
	}
}

// poisonedProject writes the cache tests' project and a store whose cache
// claims that every finishing tactic closes "three" (1 = 2, which nothing
// closes), under the key batch and prove use for it.
func poisonedProject(t *testing.T) (dir, db string) {
	t.Helper()
	dir = leanProject(t, map[string]string{
		"Demo.lean":        cacheLean,
		"Demo/Helper.lean": "theorem helper : True := trivial\n",
	}, batchScript)
	db = filepath.Join(t.TempDir(), "runs.db")
	poisonCache(t, dir, db, "three", search.State{Goals: []string{"⊢ 1 = 2"}})
	return dir, db
}

// assertRejectedOnVerification checks that the store's only run records
// theorem as not proved because Lean rejected the proof the search found.
func assertRejectedOnVerification(t *testing.T, db, theorem string) {
	t.Helper()
	st, err := corpus.Open(db, corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs()
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v, %v", runs, err)
	}
	results, err := st.Results(runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for key, r := range results {
		if r.Theorem != theorem {
			continue
		}
		found = true
		if r.Proved || !strings.HasPrefix(r.Stop, "proof rejected on verification") {
			t.Errorf("%s: proved %v, stop %q; want rejected on verification", key, r.Proved, r.Stop)
		}
	}
	if !found {
		t.Errorf("no result for %s among %d", theorem, len(results))
	}
}

// poisonCache records, under the environment key a batch or a
// single-theorem prove with default flags computes for theorem, that each common finishing tactic proves
// state.
func poisonCache(t *testing.T, dir, db, theorem string, state search.State) {
	t.Helper()
	ctx := context.Background()
	var pf proveFlags
	fs := flag.NewFlagSet("defaults", flag.ContinueOnError)
	pf.register(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	target, err := leanrpc.FindTheorem(ctx, dir, theorem)
	if err != nil {
		t.Fatal(err)
	}
	st, err := corpus.Open(db, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	liar := search.ProverFunc(func(context.Context, search.State, string) (search.Step, error) {
		return search.Step{Outcome: search.OutcomeProved}, nil
	})
	b := newLeanBackend(&pf, zerolog.Nop())
	cached := b.cachedProver(ctx, st, target, leanrpc.TheoremFromTarget(target), liar)
	if _, ok := cached.(*corpus.CachedProver); !ok {
		t.Fatalf("no cache for %s: %T", theorem, cached)
	}
	for _, tac := range []string{"rfl", "decide", "simp", "omega", "trivial", "norm_num", "linarith", "exact rfl", "simp_all", "aesop"} {
		if _, err := cached.Apply(ctx, state, tac); err != nil {
			t.Fatal(err)
		}
	}
}
