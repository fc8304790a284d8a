package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

func openStore(t *testing.T) (*corpus.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "prove.db")
	s, err := corpus.Open(path, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

func TestStoreTracesRunsResults(t *testing.T) {
	s, path := openStore(t)
	ths := loadFixture(t, "dojo.json")
	added, err := s.PutTheorems(ths)
	if err != nil || added != 3 {
		t.Fatalf("added %d, %v", added, err)
	}
	if added, _ := s.PutTheorems(ths[:1]); added != 0 {
		t.Errorf("re-adding counted %d new", added)
	}
	id1, err := s.PutRun(corpus.Manifest{Policy: "frequency", Seed: 7, Started: time.Unix(1700000000, 0).UTC(), GitCommit: "abc", Toolchain: "v4.9.0", Budget: map[string]string{"expansions": "64"}})
	if err != nil {
		t.Fatal(err)
	}
	id2, _ := s.PutRun(corpus.Manifest{Policy: "learned:m"})
	if id1 >= id2 {
		t.Errorf("run IDs %q, %q do not sort by creation", id1, id2)
	}
	r := corpus.Result{Proved: true, Proof: []string{"rfl"}, ProverCalls: 3}
	for range 2 { // idempotent
		if err := s.PutResult(id1, "A.lean:T.one", r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutResult("run-999999", "x", r); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("result for unknown run: %v", err)
	}
	s.Close()

	// Everything survives reopening.
	s, err = corpus.Open(path, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	back, _ := s.Theorems()
	if len(back) != 3 || corpus.CountSteps(back) != 5 {
		t.Errorf("traces back: %d theorems %d steps", len(back), corpus.CountSteps(back))
	}
	runs, _ := s.Runs()
	if len(runs) != 2 || runs[0].ID != id1 || runs[0].Seed != 7 || runs[0].GitCommit != "abc" || runs[0].Budget["expansions"] != "64" {
		t.Errorf("runs back: %+v", runs)
	}
	res, _ := s.Results(id1)
	if len(res) != 1 || !res["A.lean:T.one"].Proved || res["A.lean:T.one"].Theorem != "A.lean:T.one" {
		t.Errorf("results back: %+v", res)
	}
	if _, err := s.Run("nope"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("Run(nope): %v", err)
	}
}

func TestStoreSecondProcessGetsInUse(t *testing.T) {
	s, path := openStore(t)
	defer s.Close()
	// bbolt's flock is per open file, so a second Open in this process
	// behaves as a second process would.
	_, err := corpus.Open(path, corpus.StoreOptions{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, corpus.ErrStoreInUse) || !strings.Contains(err.Error(), path) {
		t.Errorf("second open: %v, want ErrStoreInUse naming the file", err)
	}
}

// A store of another schema is refused, read-only or not, and left as it
// was; the error says what to do, which differs for an older store (start
// a fresh one) and a newer one (its data belongs to a newer prove).
func TestStoreSchemaVersion(t *testing.T) {
	tests := []struct{ schema, mention string }{
		{"99", "newer prove (schema 99, this build reads 1)"},
		{"0", "fresh --db"},
		{"garbage", "fresh --db"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "other.db")
		db, err := bolt.Open(path, 0o644, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(func(tx *bolt.Tx) error {
			b, _ := tx.CreateBucketIfNotExists([]byte("meta"))
			return b.Put([]byte("schema"), []byte(tt.schema))
		}); err != nil {
			t.Fatal(err)
		}
		db.Close()
		for _, ro := range []bool{false, true} {
			_, err := corpus.Open(path, corpus.StoreOptions{ReadOnly: ro})
			if !errors.Is(err, corpus.ErrSchemaVersion) || !strings.Contains(err.Error(), tt.mention) || !strings.Contains(err.Error(), path) {
				t.Errorf("schema %s, read-only %v: %v; want ErrSchemaVersion naming the file and saying %q", tt.schema, ro, err, tt.mention)
			}
		}
		db, err = bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.View(func(tx *bolt.Tx) error {
			if got := string(tx.Bucket([]byte("meta")).Get([]byte("schema"))); got != tt.schema || tx.Bucket([]byte("traces")) != nil {
				return fmt.Errorf("schema now %q, traces bucket %v", got, tx.Bucket([]byte("traces")) != nil)
			}
			return nil
		}); err != nil {
			t.Errorf("schema %s: the refused store was changed: %v", tt.schema, err)
		}
		db.Close()
	}
}

func TestCachedProverAndProvedTraces(t *testing.T) {
	s, _ := openStore(t)
	defer s.Close()
	ths := loadFixture(t, "dojo.json")
	calls := 0
	replay := corpus.NewReplay(ths)
	counting := search.ProverFunc(func(ctx context.Context, st search.State, tac string) (search.Step, error) {
		calls++
		return replay.Apply(ctx, st, tac)
	})
	cp := &corpus.CachedProver{Prover: counting, Store: s}
	root, _ := corpus.Root(ths[0])
	ctx := context.Background()
	for range 2 {
		st, err := cp.Apply(ctx, root, "intro n")
		if err != nil || st.Outcome != search.OutcomeGoals {
			t.Fatalf("%v %v", st, err)
		}
		st2, err := cp.Apply(ctx, st.State, "simp [Nat.add_zero]")
		if err != nil || st2.Outcome != search.OutcomeProved {
			t.Fatalf("%v %v", st2, err)
		}
		if _, err := cp.Apply(ctx, root, "bogus"); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 3 {
		t.Errorf("%d prover calls, want 3 (the second round from the cache)", calls)
	}
	id, _ := s.PutRun(corpus.Manifest{Policy: "test"})
	s.PutResult(id, "Foo.add_zero'", corpus.Result{Proved: true, Proof: []string{"intro n", "simp [Nat.add_zero]"}, Root: root.String()})
	s.PutResult(id, "Other", corpus.Result{Proved: true, Proof: []string{"uncached"}, Root: "⊢ False"})
	got, err := s.ProvedTraces()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Steps) != 2 || got[0].Steps[1].StateBefore != "n : ℕ\n⊢ n + 0 = n" || !got[0].Steps[1].Proved() {
		t.Errorf("proved traces %+v", got)
	}
}

// A bbolt file that is not a prove store (no schema) is refused with a
// clear error: read-only, the buckets the readers use do not exist; for
// writing, the store would add its buckets to somebody else's database.
func TestStoreRefusesForeignDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("widgets"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, ro := range []bool{true, false} {
		s, err := corpus.Open(path, corpus.StoreOptions{ReadOnly: ro})
		if err == nil {
			_, err = s.Theorems()
			s.Close()
			t.Fatalf("read-only %v: foreign database opened (Theorems: %v)", ro, err)
		}
		if !errors.Is(err, corpus.ErrSchemaVersion) || !strings.Contains(err.Error(), path) {
			t.Errorf("read-only %v: err = %v, want ErrSchemaVersion naming the file", ro, err)
		}
	}
	// An empty bbolt file (a store created and never written) reads as empty.
	empty := filepath.Join(t.TempDir(), "empty.db")
	s, err := corpus.Open(empty, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = corpus.Open(empty, corpus.StoreOptions{ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ths, err := s.Theorems(); err != nil || len(ths) != 0 {
		t.Errorf("fresh store: %d theorems, %v", len(ths), err)
	}
}

// ProvedTraces is training data: it must come out in the same order every
// time (run order, then theorem key), or two trainings on one store differ.
func TestProvedTracesOrderIsStable(t *testing.T) {
	s, _ := openStore(t)
	defer s.Close()
	id, err := s.PutRun(corpus.Manifest{Policy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var entries []corpus.CacheEntry
	var want []string
	for i := range 12 {
		name := fmt.Sprintf("T%02d", i)
		root := search.State{Goals: []string{"⊢ goal " + name}}
		entries = append(entries, corpus.CacheEntry{StateKey: corpus.StateKey(root), Tactic: "done",
			Step: search.Step{Outcome: search.OutcomeProved}})
		if err := s.PutResult(id, name, corpus.Result{Proved: true, Proof: []string{"done"}, Root: root.String()}); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	if err := s.CachePutAll(entries); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		got, err := s.ProvedTraces()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, th := range got {
			names = append(names, th.FullName)
		}
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Fatalf("order %v, want %v", names, want)
		}
	}
}

// A store file cut short (a partial copy, a full disk) is refused with an
// error: bbolt would map the missing pages and die with SIGSEGV on the
// first read, inside bolt.Open itself when opening for writing. A missing
// or empty file opened read-only gets an error that says so.
func TestStoreRefusesDamagedOrMissingFiles(t *testing.T) {
	s, path := openStore(t)
	var ths []corpus.Theorem
	for i := range 300 {
		ths = append(ths, corpus.Theorem{FullName: fmt.Sprintf("T%03d", i), Steps: []corpus.Step{
			{Tactic: "simp", StateBefore: strings.Repeat("h : a = b\n", 20) + "⊢ True", StateAfter: "no goals"}}})
	}
	if _, err := s.PutTheorems(ths); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	db.Close()
	if err := os.Truncate(path, size/2); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.db")
	tests := []struct {
		path     string
		readOnly bool
		want     error
		mention  string
	}{
		{path, true, corpus.ErrStoreDamaged, "cut short"},
		{path, false, corpus.ErrStoreDamaged, "cut short"},
		{empty, true, corpus.ErrSchemaVersion, "empty"},
		{missing, true, fs.ErrNotExist, "write one"},
	}
	for _, tt := range tests {
		s, err := corpus.Open(tt.path, corpus.StoreOptions{ReadOnly: tt.readOnly})
		if err == nil {
			s.Close()
		}
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.path) || !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s, read-only %v: %v; want %v naming the file and saying %q", filepath.Base(tt.path), tt.readOnly, err, tt.want, tt.mention)
		}
	}
	// An empty file opened for writing is a new store, as before.
	if s, err := corpus.Open(empty, corpus.StoreOptions{}); err != nil {
		t.Errorf("empty file for writing: %v", err)
	} else {
		s.Close()
	}
}
