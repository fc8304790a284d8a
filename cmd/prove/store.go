package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

// defaultDB is where batch results go unless --db says otherwise: the
// working directory, so that a rerun from the same place resumes.
const defaultDB = "leanprove.db"

// corpusResults adapts the corpus store to the batch runner's resultStore.
type corpusResults struct{ st *corpus.Store }

func (c corpusResults) BeginRun(ctx context.Context, runID string, manifest []kv) (map[string]theoremResult, error) {
	done := map[string]theoremResult{}
	if _, err := c.st.Run(runID); err == nil {
		rs, err := c.st.Results(runID)
		if err != nil {
			return nil, err
		}
		for k, r := range rs {
			done[k] = fromCorpusResult(r)
		}
		return done, nil
	} else if !errors.Is(err, corpus.ErrNotFound) {
		return nil, err
	}
	m := corpus.Manifest{ID: runID, Budget: map[string]string{}, Started: time.Now().UTC()}
	for _, e := range manifest {
		switch e.Key {
		case "toolchain":
			m.Toolchain = e.Value
		case "project":
			m.Project = e.Value
		case "policy":
			m.Policy = e.Value
		case "mode":
			m.Mode = e.Value
		case "commit":
			m.GitCommit = e.Value
		case "seed":
			fmt.Sscan(e.Value, &m.Seed)
		case "started":
		default:
			m.Budget[e.Key] = e.Value
		}
	}
	m.Note = "batch"
	_, err := c.st.PutRun(m)
	return done, err
}

// PutResult stores the result and, for a proof, the steps along it in the
// (state, tactic) cache, so that prove policy train --from-db can learn
// from the proofs a batch found (expert iteration).
func (c corpusResults) PutResult(ctx context.Context, runID, key string, r theoremResult) error {
	res := corpus.Result{
		Theorem: r.Theorem, File: r.File, Proved: r.Proved, Assuming: r.Assuming, Proof: r.Proof,
		Stop: r.Stop, Elapsed: r.Elapsed, ProverCalls: r.ProverCalls, Expansions: r.Expansions,
		Finished: time.Now().UTC(),
	}
	if len(r.Steps) > 0 {
		res.Root = search.State{Goals: r.Steps[0].Before}.String()
		for _, s := range r.Steps {
			step := search.Step{Outcome: search.OutcomeProved}
			if len(s.After) > 0 {
				step = search.Step{Outcome: search.OutcomeGoals, State: search.State{Goals: s.After}}
			}
			if err := c.st.CachePut(corpus.StateKey(search.State{Goals: s.Before}), s.Tactic, step); err != nil {
				return err
			}
		}
	}
	return c.st.PutResult(runID, key, res)
}

func fromCorpusResult(r corpus.Result) theoremResult {
	return theoremResult{File: r.File, Theorem: r.Theorem, Proved: r.Proved, Assuming: r.Assuming,
		Elapsed: r.Elapsed, ProverCalls: r.ProverCalls, Expansions: r.Expansions, Stop: r.Stop, Proof: r.Proof}
}

// runViewOf reads one stored run for the report.
func runViewOf(st *corpus.Store, m corpus.Manifest) (runView, error) {
	rs, err := st.Results(m.ID)
	if err != nil {
		return runView{}, err
	}
	v := runView{ID: m.ID, Label: runLabel(m)}
	add := func(k, val string) {
		if val != "" {
			v.Manifest = append(v.Manifest, kv{k, val})
		}
	}
	add("toolchain", m.Toolchain)
	add("commit", m.GitCommit)
	add("project", m.Project)
	add("policy", m.Policy)
	add("mode", m.Mode)
	var budget []string
	for k, val := range m.Budget {
		budget = append(budget, k+"="+val)
	}
	sort.Strings(budget)
	add("budget", strings.Join(budget, " "))
	add("seed", fmt.Sprint(m.Seed))
	add("started", m.Started.Format(time.RFC3339))
	keys := make([]string, 0, len(rs))
	for k := range rs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r := fromCorpusResult(rs[k])
		if r.File == "" {
			r.File = "(traces)" // bench runs have theorems, not files
		}
		v.Results = append(v.Results, r)
	}
	return v, nil
}

func runLabel(m corpus.Manifest) string {
	parts := []string{m.Mode, m.Policy}
	if m.Note != "" && m.Note != "batch" {
		parts = append(parts, m.Note)
	}
	label := strings.Trim(strings.Join(parts, " "), " ")
	if label == "" {
		label = m.ID
	}
	return label + " (" + m.ID + ")"
}

// leanToolchain reads the project's pinned toolchain, which every manifest
// records so runs on different Lean versions are never compared blindly.
func leanToolchain(project string) string {
	data, err := os.ReadFile(filepath.Join(project, "lean-toolchain"))
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(data))
}

// proverCommit names the commit of this prover: the build's VCS stamp, or
// the repository the command runs in when the binary has none (go run,
// go test, -buildvcs=false).
func proverCommit() string {
	if c := gitCommit(); c != "" {
		return c
	}
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
