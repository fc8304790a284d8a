package corpus

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/leanprove/leanprove/search"
)

// Manifest records what a run was, so its results can be reproduced and
// compared: the Lean toolchain and project, the policy spec, the budget,
// the seed, when it started and the git commit of the prover.
type Manifest struct {
	ID        string            `json:"id"`
	Toolchain string            `json:"toolchain,omitempty"`
	Project   string            `json:"project,omitempty"`
	Policy    string            `json:"policy"`
	Mode      string            `json:"mode,omitempty"`
	Budget    map[string]string `json:"budget,omitempty"` // flag name → value
	Seed      int64             `json:"seed"`
	Started   time.Time         `json:"started"`
	GitCommit string            `json:"git_commit,omitempty"`
	Note      string            `json:"note,omitempty"`
}

// Result is the outcome of one theorem in one run.
type Result struct {
	Theorem string `json:"theorem"`
	File    string `json:"file,omitempty"` // the .lean file declaring it, for batch runs
	Proved  bool   `json:"proved"`
	// Assuming names still-unproven theorems the verified proof depends
	// on ("proved, assuming"); such a result is not counted as proved.
	Assuming    []string      `json:"assuming,omitempty"`
	Proof       []string      `json:"proof,omitempty"`
	Root        string        `json:"root,omitempty"` // the goal text searched from (for learning from the proof)
	Stop        string        `json:"stop,omitempty"`
	Elapsed     time.Duration `json:"elapsed"`
	ProverCalls int           `json:"prover_calls"`
	Expansions  int           `json:"expansions"`
	Error       string        `json:"error,omitempty"`
	Finished    time.Time     `json:"finished"`
}

// PutRun stores a run's manifest and returns its ID. An empty ID is
// assigned ("run-000001", …, from a sequence, so IDs sort by creation);
// putting a manifest with an existing ID replaces it (resuming a run).
func (s *Store) PutRun(m Manifest) (string, error) {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRuns)
		if m.ID == "" {
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			m.ID = fmt.Sprintf("run-%06d", seq)
		}
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(m.ID), data); err != nil {
			return err
		}
		_, err = tx.Bucket(bucketResults).CreateBucketIfNotExists([]byte(m.ID))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store run in %s: %w", s.path, err)
	}
	return m.ID, nil
}

// Run returns the manifest of run id, or ErrNotFound.
func (s *Store) Run(id string) (Manifest, error) {
	var m Manifest
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketRuns).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("run %q: %w", id, ErrNotFound)
		}
		return json.Unmarshal(v, &m)
	})
	return m, err
}

// Runs lists every run's manifest in ID order (creation order for
// assigned IDs).
func (s *Store) Runs() ([]Manifest, error) {
	var out []Manifest
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRuns).ForEach(func(k, v []byte) error {
			var m Manifest
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("run %q: %w", k, err)
			}
			out = append(out, m)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list runs in %s: %w", s.path, err)
	}
	return out, nil
}

// PutResult records the result of theorem theoremKey in run runID,
// replacing any earlier one: putting the same result twice changes nothing,
// so a resumed batch may safely redo its last theorem.
func (s *Store) PutResult(runID, theoremKey string, r Result) error {
	if r.Theorem == "" {
		r.Theorem = theoremKey
	}
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResults).Bucket([]byte(runID))
		if b == nil {
			return fmt.Errorf("run %q: %w (PutRun first)", runID, ErrNotFound)
		}
		return b.Put([]byte(theoremKey), data)
	})
	if err != nil {
		return fmt.Errorf("store result of %s in %s: %w", theoremKey, s.path, err)
	}
	return nil
}

// Results returns run runID's results keyed by theorem key.
func (s *Store) Results(runID string) (map[string]Result, error) {
	out := map[string]Result{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResults).Bucket([]byte(runID))
		if b == nil {
			return fmt.Errorf("run %q: %w", runID, ErrNotFound)
		}
		return b.ForEach(func(k, v []byte) error {
			var r Result
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("result %q: %w", k, err)
			}
			out[string(k)] = r
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read results from %s: %w", s.path, err)
	}
	return out, nil
}

// CachedStep is a stored outcome of a tactic in a state.
type CachedStep struct {
	Outcome search.Outcome `json:"outcome"`
	Goals   []string       `json:"goals,omitempty"`
	Message string         `json:"message,omitempty"`
}

func cacheKey(stateKey, tactic string) []byte {
	return []byte(stateKey + "\x00" + NormalizeTactic(tactic))
}

// CachePut records what tactic did in the state with stateKey (StateKey).
func (s *Store) CachePut(stateKey, tactic string, st search.Step) error {
	data, err := json.Marshal(CachedStep{Outcome: st.Outcome, Goals: st.State.Goals, Message: st.Message})
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCache).Put(cacheKey(stateKey, tactic), data)
	})
	if err != nil {
		return fmt.Errorf("store proof cache in %s: %w", s.path, err)
	}
	return nil
}

// CacheGet returns the recorded outcome of tactic in the state, if any.
func (s *Store) CacheGet(stateKey, tactic string) (search.Step, bool, error) {
	var c CachedStep
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketCache).Get(cacheKey(stateKey, tactic))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &c)
	})
	if err != nil {
		return search.Step{}, false, fmt.Errorf("read proof cache from %s: %w", s.path, err)
	}
	if !found {
		return search.Step{}, false, nil
	}
	return search.Step{Outcome: c.Outcome, State: search.State{Goals: c.Goals}, Message: c.Message}, true, nil
}

// CacheEntry is one (state, tactic) → outcome record for CachePutAll.
type CacheEntry struct {
	StateKey string
	Tactic   string
	Step     search.Step
}

// CachePutAll records several outcomes in one transaction.
func (s *Store) CachePutAll(entries []CacheEntry) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCache)
		for _, e := range entries {
			data, err := json.Marshal(CachedStep{Outcome: e.Step.Outcome, Goals: e.Step.State.Goals, Message: e.Step.Message})
			if err != nil {
				return err
			}
			if err := b.Put(cacheKey(e.StateKey, e.Tactic), data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store proof cache in %s: %w", s.path, err)
	}
	return nil
}
