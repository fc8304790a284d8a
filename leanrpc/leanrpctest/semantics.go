package leanrpctest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
)

// A Result is what the fake Lean does when a tactic runs in a state.
type Result struct {
	// Goals after the tactic; empty (with no failure) means proved.
	Goals []string `json:"goals,omitempty"`
	// Error is Lean's error message: the tactic failed.
	Error string `json:"error,omitempty"`
	// ParseError: the tactic does not parse ("unexpected token …").
	ParseError bool `json:"parse_error,omitempty"`
	// Timeout: maxHeartbeats ran out.
	Timeout bool `json:"timeout,omitempty"`
	// Crash: the file worker dies (exit code CrashCode, default a signal:
	// -32902); CrashOnce only the first time.
	Crash     bool `json:"crash,omitempty"`
	CrashOnce bool `json:"crash_once,omitempty"`
	CrashCode int  `json:"crash_code,omitempty"`
	// Hang: elaboration never finishes (until a newer version arrives).
	Hang bool `json:"hang,omitempty"`
	// ExitProcess: the whole server process exits (Options.ExitProcess).
	ExitProcess bool `json:"exit_process,omitempty"`
}

// Semantics gives the fake server its proof semantics.
type Semantics interface {
	// Initial returns the goals of a theorem's statement, by the full name
	// (or, failing that, the short name) of the declaration.
	Initial(fullName, name, statement string) ([]string, bool)
	// Step runs tactic in the state whose goals are given.
	Step(goals []string, tactic string) Result
	// Axioms returns what #print axioms shows for a theorem (nil: none
	// beyond those its proof's sorry implies).
	Axioms(fullName string) []string
}

// stateKey joins goals the way traces print states.
func stateKey(goals []string) string {
	if len(goals) == 0 {
		return "no goals"
	}
	return strings.Join(goals, "\n\n")
}

// splitState is the inverse of stateKey.
func splitState(state string) []string {
	state = strings.TrimSpace(state)
	if state == "" || state == "no goals" {
		return nil
	}
	return strings.Split(state, "\n\n")
}

// ScriptStep is one rule of a Script: in State (empty: any state), Tactic
// gives Result. NewState, when set, is the state after it as one string
// (goals separated by blank lines; "no goals" when proved) and overrides
// Result.Goals.
type ScriptStep struct {
	State    string `json:"state,omitempty"`
	Tactic   string `json:"tactic"`
	NewState string `json:"new_state,omitempty"`
	Result
}

// Script is a hand-written semantics: theorems' initial states and rules.
// Its JSON form is what LEANRPCTEST_SCRIPT names. A tactic no rule covers
// fails with UnknownError, except skip, which (as in Lean) changes nothing
// and so reads a theorem's initial goals.
type Script struct {
	// Theorems maps a theorem's name to its initial state (one string,
	// goals separated by blank lines). "*" applies to any theorem.
	Theorems map[string]string `json:"theorems"`
	Steps    []ScriptStep      `json:"steps"`
	// AxiomsOf maps a theorem to its #print axioms list.
	AxiomsOf map[string][]string `json:"axioms,omitempty"`
	// UnknownError is the error for a tactic no rule covers; default
	// "unknown tactic".
	UnknownError string `json:"unknown_error,omitempty"`

	mu      sync.Mutex
	crashed map[int]bool
}

// LoadScript reads a Script from a JSON file.
func LoadScript(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read script %s: %w", path, err)
	}
	var s Script
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("parse script %s: %w", path, err)
	}
	return &s, nil
}

// Initial implements Semantics.
func (s *Script) Initial(fullName, name, _ string) ([]string, bool) {
	for _, k := range []string{fullName, name, "*"} {
		if st, ok := s.Theorems[k]; ok && k != "" {
			return splitState(st), true
		}
	}
	return nil, false
}

// Step implements Semantics.
func (s *Script) Step(goals []string, tactic string) Result {
	key := stateKey(goals)
	for i, st := range s.Steps {
		if st.Tactic != tactic || (st.State != "" && st.State != key) {
			continue
		}
		r := st.Result
		if st.NewState != "" {
			r.Goals = splitState(st.NewState)
		}
		if r.CrashOnce {
			s.mu.Lock()
			if s.crashed == nil {
				s.crashed = map[int]bool{}
			}
			first := !s.crashed[i]
			s.crashed[i] = true
			s.mu.Unlock()
			if !first {
				r.CrashOnce = false
				continue
			}
		}
		return r
	}
	if tactic == "skip" {
		return Result{Goals: goals} // changes nothing, as in Lean
	}
	msg := s.UnknownError
	if msg == "" {
		msg = "unknown tactic"
	}
	return Result{Error: msg}
}

// Axioms implements Semantics.
func (s *Script) Axioms(fullName string) []string { return s.AxiomsOf[fullName] }

// Traces replays LeanDojo traces: a tactic succeeds from a state exactly
// when a recorded proof applied it there, and leads where it led. As in
// corpus.Replay (whose rates it must reproduce), a state of several goals
// also takes a tactic recorded on its first goal alone, the others
// following the result, and the first recording of a (state, tactic) wins.
type Traces struct {
	initial map[string][]string
	steps   map[string]map[string]string // state → tactic → state after
}

// traceRecord is the part of a LeanDojo Benchmark 4 record the fake needs.
type traceRecord struct {
	FullName      string `json:"full_name"`
	TracedTactics []struct {
		Tactic      string `json:"tactic"`
		StateBefore string `json:"state_before"`
		StateAfter  string `json:"state_after"`
	} `json:"traced_tactics"`
}

// LoadTraces reads LeanDojo JSON files (each a JSON array of records).
func LoadTraces(paths ...string) (*Traces, error) {
	t := &Traces{initial: map[string][]string{}, steps: map[string]map[string]string{}}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read traces %s: %w", path, err)
		}
		var recs []traceRecord
		if err := json.Unmarshal(data, &recs); err != nil {
			return nil, fmt.Errorf("parse traces %s: %w", path, err)
		}
		for _, r := range recs {
			if len(r.TracedTactics) == 0 {
				continue
			}
			if _, ok := t.initial[r.FullName]; !ok {
				t.initial[r.FullName] = splitState(r.TracedTactics[0].StateBefore)
			}
			for _, tt := range r.TracedTactics {
				before := stateKey(splitState(tt.StateBefore))
				if t.steps[before] == nil {
					t.steps[before] = map[string]string{}
				}
				tac := strings.TrimSpace(tt.Tactic)
				if _, seen := t.steps[before][tac]; !seen {
					t.steps[before][tac] = tt.StateAfter
				}
			}
		}
	}
	return t, nil
}

// Theorems lists the names with an initial state.
func (t *Traces) Theorems() []string {
	out := make([]string, 0, len(t.initial))
	for k := range t.initial {
		out = append(out, k)
	}
	return out
}

// Initial implements Semantics.
func (t *Traces) Initial(fullName, name, _ string) ([]string, bool) {
	if g, ok := t.initial[fullName]; ok {
		return g, true
	}
	g, ok := t.initial[name]
	return g, ok
}

// Step implements Semantics.
func (t *Traces) Step(goals []string, tactic string) Result {
	if after, ok := t.steps[stateKey(goals)][tactic]; ok {
		return Result{Goals: splitState(after)}
	}
	if len(goals) > 1 {
		if after, ok := t.steps[stateKey(goals[:1])][tactic]; ok {
			// On the main goal, as Lean runs it; the others follow.
			return Result{Goals: append(splitState(after), goals[1:]...)}
		}
	}
	if tactic == "skip" {
		return Result{Goals: goals}
	}
	return Result{Error: "tactic failed (no recorded proof applies it in this state)"}
}

// Axioms implements Semantics.
func (t *Traces) Axioms(string) []string { return nil }
