package main

import (
	"math"
	"sort"
	"time"
)

// A runView is one stored run as the report sees it: the manifest that makes
// it reproducible, and one result per theorem attempted.
type runView struct {
	ID       string
	Label    string // short name for tables and legends, e.g. "mcts/learned"
	Manifest []kv   // toolchain, commit, policy, budgets, seed, time…, in display order
	Results  []theoremResult
}

type kv struct{ Key, Value string }

// theoremResult is the outcome of one theorem in one run.
type theoremResult struct {
	File        string        `json:"file"`
	Theorem     string        `json:"theorem"`
	Proved      bool          `json:"proved"`
	Assuming    []string      `json:"assuming,omitempty"` // unproven dependencies the proof relies on
	Elapsed     time.Duration `json:"elapsed_ns"`
	ProverCalls int           `json:"prover_calls"`
	Expansions  int           `json:"expansions"`
	Stop        string        `json:"stop"`
	Proof       []string      `json:"proof,omitempty"`
	Steps       []proofStep   `json:"-"` // goals along the proof, for the store's cache
}

// fullyProved is what the automation rate counts: a proof that assumes no
// unproven theorem.
func (r theoremResult) fullyProved() bool { return r.Proved && len(r.Assuming) == 0 }

// runSummary holds the figures a report prints for one run.
type runSummary struct {
	ID          string            `json:"id"`
	Label       string            `json:"label"`
	Manifest    map[string]string `json:"manifest"`
	Theorems    int               `json:"theorems"`
	Proved      int               `json:"proved"`
	Assuming    int               `json:"proved_assuming"`
	Rate        float64           `json:"rate"`
	PerFile     []fileSummary     `json:"per_file"`
	Seconds     distribution      `json:"seconds"`       // over all attempts
	ProverCalls distribution      `json:"prover_calls"`  // over all attempts
	SolveTimes  []float64         `json:"solve_seconds"` // sorted, proved theorems only (cactus plot)
}

type fileSummary struct {
	File     string  `json:"file"`
	Theorems int     `json:"theorems"`
	Proved   int     `json:"proved"`
	Rate     float64 `json:"rate"`
}

// distribution summarizes a sample by its quantiles.
type distribution struct {
	N    int     `json:"n"`
	Min  float64 `json:"min"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

func summarize(r runView) runSummary {
	s := runSummary{ID: r.ID, Label: r.Label, Manifest: map[string]string{}, Theorems: len(r.Results)}
	for _, m := range r.Manifest {
		s.Manifest[m.Key] = m.Value
	}
	files := map[string]*fileSummary{}
	var secs, calls []float64
	for _, t := range r.Results {
		f := files[t.File]
		if f == nil {
			f = &fileSummary{File: t.File}
			files[t.File] = f
		}
		f.Theorems++
		switch {
		case t.fullyProved():
			s.Proved++
			f.Proved++
			s.SolveTimes = append(s.SolveTimes, t.Elapsed.Seconds())
		case t.Proved:
			s.Assuming++
		}
		secs = append(secs, t.Elapsed.Seconds())
		calls = append(calls, float64(t.ProverCalls))
	}
	s.Rate = ratio(s.Proved, s.Theorems)
	for _, f := range files {
		f.Rate = ratio(f.Proved, f.Theorems)
		s.PerFile = append(s.PerFile, *f)
	}
	sort.Slice(s.PerFile, func(i, j int) bool { return s.PerFile[i].File < s.PerFile[j].File })
	sort.Float64s(s.SolveTimes)
	s.Seconds = distributionOf(secs)
	s.ProverCalls = distributionOf(calls)
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func distributionOf(xs []float64) distribution {
	if len(xs) == 0 {
		return distribution{}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	return distribution{
		N: len(s), Min: s[0], Max: s[len(s)-1], Mean: sum / float64(len(s)),
		P50: quantile(s, 0.5), P90: quantile(s, 0.9),
	}
}

// quantile reads the q-quantile of sorted xs with linear interpolation.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 1 {
		return sorted[0]
	}
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	frac := pos - float64(lo)
	return sorted[lo]*(1-frac) + sorted[hi]*frac
}
