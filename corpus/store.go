package corpus

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout of the store's buckets and values; Open
// refuses a database with a different one rather than misreading it.
const SchemaVersion = 1

// Buckets of the store. Results live in one nested bucket per run.
var (
	bucketMeta    = []byte("meta")    // "schema" → SchemaVersion
	bucketTraces  = []byte("traces")  // Theorem.Key() → Theorem (JSON)
	bucketRuns    = []byte("runs")    // run ID → Manifest (JSON)
	bucketResults = []byte("results") // run ID → bucket: theorem key → Result (JSON)
	bucketCache   = []byte("cache")   // state key \x00 normalized tactic → CachedStep (JSON)
	keySchema     = []byte("schema")
)

// StoreOptions control Open.
type StoreOptions struct {
	// Timeout is how long to wait for another process to release the
	// database before failing with ErrStoreInUse; default one second.
	Timeout time.Duration
	// ReadOnly opens without write access; several readers may share it.
	ReadOnly bool
}

// Store is the bbolt database of traces, runs, per-theorem results and the
// (state, tactic) → outcome cache. Every write is one transaction: a killed
// process loses at most the write in flight, never earlier ones. Only one
// process may open a store for writing at a time.
type Store struct {
	db   *bolt.DB
	path string
}

// Open opens or creates the store at path.
func Open(path string, opts StoreOptions) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if err := checkLength(path, opts); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, inUse(path)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.checkSchema(opts.ReadOnly); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func inUse(path string) error {
	return fmt.Errorf("open store %s: %w (another prove process holds it; wait for it to finish or use another --db)", path, ErrStoreInUse)
}

// checkLength refuses a file shorter than its own header says it is (a
// partial copy, a full disk): bbolt maps the missing pages, and the first
// read of one kills the process with SIGSEGV, inside bolt.Open itself when
// opening for writing. A read-only open reads nothing but the header, so
// that is how the length is checked. It also words the errors of a missing
// or empty file opened read-only, which bbolt reports as a failed write.
func checkLength(path string, opts StoreOptions) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.ReadOnly:
		return fmt.Errorf("open store %s: %w (prove corpus import, batch or bench --db write one)", path, err)
	case err != nil || (info.Size() == 0 && !opts.ReadOnly):
		return nil // bolt.Open reports it, or makes a new store
	case info.Size() == 0:
		return fmt.Errorf("open store %s: %w: the file is empty, it is not a prove store (check --db)", path, ErrSchemaVersion)
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: opts.Timeout, ReadOnly: true})
	if errors.Is(err, berrors.ErrTimeout) {
		return inUse(path)
	}
	if err != nil {
		return nil // the open proper reports it
	}
	defer db.Close()
	var want int64
	if err := db.View(func(tx *bolt.Tx) error { want = tx.Size(); return nil }); err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	if info.Size() < want {
		return fmt.Errorf("open store %s: %w: the file has %d bytes where its header says %d; it was cut short (a partial copy or a full disk): restore it from a copy or use another --db",
			path, ErrStoreDamaged, info.Size(), want)
	}
	return nil
}

func (s *Store) checkSchema(readOnly bool) error {
	check := func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			// A new file has no buckets at all; anything else without a
			// schema is some other program's bbolt database.
			if first, _ := tx.Cursor().First(); readOnly || first != nil {
				return fmt.Errorf("open store %s: %w: file has no schema, it is not a prove store (check --db)",
					s.path, ErrSchemaVersion)
			}
			return nil
		}
		v, err := strconv.Atoi(string(meta.Get(keySchema)))
		if err == nil && v > SchemaVersion {
			// A fresh --db would lose the newer build's data: say whose it is.
			return fmt.Errorf("open store %s: %w: written by a newer prove (schema %d, this build reads %d): use that prove, or another --db",
				s.path, ErrSchemaVersion, v, SchemaVersion)
		}
		if err != nil || v != SchemaVersion {
			return fmt.Errorf("open store %s: %w: file has %q, this build uses %d (use a fresh --db)",
				s.path, ErrSchemaVersion, meta.Get(keySchema), SchemaVersion)
		}
		return nil
	}
	if readOnly {
		return s.db.View(check)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		for _, b := range [][]byte{bucketMeta, bucketTraces, bucketRuns, bucketResults, bucketCache} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
}

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// PutTheorems stores traces in one transaction, replacing theorems with the
// same Key. It returns how many keys were new.
func (s *Store) PutTheorems(ths []Theorem) (added int, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTraces)
		for _, th := range ths {
			data, err := json.Marshal(th)
			if err != nil {
				return err
			}
			k := []byte(th.Key())
			if b.Get(k) == nil {
				added++
			}
			if err := b.Put(k, data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store traces in %s: %w", s.path, err)
	}
	return added, nil
}

// Theorems returns every stored trace, ordered by key.
func (s *Store) Theorems() ([]Theorem, error) {
	var out []Theorem
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTraces).ForEach(func(k, v []byte) error {
			var th Theorem
			if err := json.Unmarshal(v, &th); err != nil {
				return fmt.Errorf("trace %q: %w", k, err)
			}
			out = append(out, th)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read traces from %s: %w", s.path, err)
	}
	return out, nil
}
