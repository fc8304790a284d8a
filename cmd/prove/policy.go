package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/policy"
)

// runPolicy dispatches prove policy train|eval.
func runPolicy(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usagef("policy needs a subcommand: train or eval")
	}
	switch args[0] {
	case "train":
		return runPolicyTrain(ctx, e, args[1:])
	case "eval":
		return runPolicyEval(ctx, e, args[1:])
	}
	return usagef("unknown policy subcommand %q (want train or eval)", args[0])
}

func runPolicyTrain(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "policy train")
	var tf traceFlags
	tf.register(fs, "train")
	fromDB := fs.String("from-db", "", "also learn from the traces and found proofs in this bbolt store (the same --split applies)")
	out := fs.String("out", "", "model file to write (required)")
	neighbors := fs.Int("neighbors", 0, "neighbours that vote (0: default)")
	samplePercent := fs.Int("sample-percent", 100, "train on this share of the theorems --split selects, by name hash (a 25% sample lies inside the 50% one): for learning curves")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (trace files go after --traces)", fs.Arg(0))
	}
	if *out == "" {
		return usagef("--out MODEL is required")
	}
	if len(tf.files) == 0 && *fromDB == "" {
		return usagef("give --traces FILE or --from-db DB (or both)")
	}
	if err := tf.validateSplit(); err != nil {
		return err
	}
	if *samplePercent < 1 || *samplePercent > 100 {
		return usagef("--sample-percent must be within 1..100, got %d", *samplePercent)
	}
	sample := func(ths []corpus.Theorem) []corpus.Theorem {
		if *samplePercent == 100 {
			return ths
		}
		return corpus.Sample(ths, *samplePercent)
	}
	var examples []policy.Example
	skipped := 0
	if len(tf.files) > 0 {
		lt, err := tf.load(e)
		if err != nil {
			return err
		}
		skipped = lt.skipped
		examples = append(examples, policy.ExamplesFrom(sample(lt.selected))...)
	}
	fromStore := 0
	if *fromDB != "" {
		st, err := corpus.Open(*fromDB, corpus.StoreOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		stored, err := st.Theorems()
		if err == nil {
			var proved []corpus.Theorem
			proved, err = st.ProvedTraces()
			stored = append(stored, proved...)
		}
		st.Close()
		if err != nil {
			return err
		}
		// The store may hold dev theorems (imported traces, or proofs a
		// bench found on the dev part): the split applies to them too, or
		// 'policy eval' would score the model on what it was trained on.
		stored, _ = tf.part(stored)
		ex := policy.ExamplesFrom(sample(stored))
		fromStore = len(ex)
		examples = append(examples, ex...)
	}
	if len(examples) == 0 {
		return fmt.Errorf("policy train: no training steps found (check --traces, --split, --sample-percent and --from-db)")
	}
	start := time.Now()
	model := policy.Train(examples, policy.LearnedParams{Neighbors: *neighbors})
	took := time.Since(start)
	if err := model.Save(*out); err != nil {
		return err
	}
	sum := map[string]any{"model": *out, "examples": len(examples), "from_db": fromStore,
		"skipped": skipped, "sample_percent": *samplePercent, "train_seconds": took.Seconds()}
	if *asJSON {
		return writeJSON(e.stdout, sum)
	}
	fmt.Fprintf(e.stdout, "trained on %d steps (%d from the store) in %.2fs; wrote %s\n", len(examples), fromStore, took.Seconds(), *out)
	return nil
}

// evalReport is the JSON of prove policy eval.
type evalReport struct {
	Policy string `json:"policy"`
	Split  string `json:"split"`
	policy.Metrics
	// Ceiling, with --ceiling: how much of the examples a policy trained
	// on the train part could match at all.
	Ceiling *policy.Ceiling `json:"ceiling,omitempty"`
	// ByHead, with --by-head: the accuracies per first word of the
	// recorded tactic.
	ByHead map[string]policy.HeadMetrics `json:"by_head,omitempty"`
}

func runPolicyEval(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "policy eval")
	var tf traceFlags
	tf.register(fs, "dev")
	spec := fs.String("policy", "", "policy spec: portfolio, portfolio:mathlib (with Mathlib's finishers), frequency, learned:MODEL, llm:MODEL@URL, or A+B (required)")
	k := fs.Int("k", 10, "candidates asked for; top10 in the output is top-k")
	var llm llmFlags
	llm.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	ceiling := fs.Bool("ceiling", false, "also report the share of examples whose tactic uses only names found in the train part's tactics or its own state, and a shape some train tactic has: what any policy learned from that data could match")
	byHead := fs.Bool("by-head", false, "also break the accuracies down by the recorded tactic's first word (rw, simp, exact, ...)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (trace files go after --traces)", fs.Arg(0))
	}
	if err := tf.validate(); err != nil {
		return err
	}
	if *spec == "" {
		return usagef("--policy SPEC is required (portfolio, portfolio:mathlib, frequency, learned:MODEL, llm:MODEL@URL, A+B)")
	}
	if *k <= 0 {
		return usagef("--k must be positive, got %d", *k)
	}
	if err := llm.validate(); err != nil {
		return err
	}
	lt, err := tf.load(e)
	if err != nil {
		return err
	}
	selected, train := lt.selected, lt.train
	examples := policy.ExamplesFrom(selected)
	if len(examples) == 0 {
		// Accuracies over no step are no measurement, as in bench.
		hint := fmt.Sprintf(" in the %s part (--dev-percent %d): try --split all", tf.split, tf.devPercent)
		if tf.split == "all" {
			hint = ""
		}
		return usagef("no recorded step to evaluate in %s%s", tf.files.String(), hint)
	}
	pol, err := policyFromSpec(*spec, llm, train)
	if err != nil {
		return err
	}
	m, err := policy.Evaluate(ctx, pol, examples, *k)
	if err != nil {
		return err
	}
	rep := evalReport{Policy: *spec, Split: tf.split, Metrics: m}
	if *ceiling {
		c := policy.MeasureCeiling(policy.ExamplesFrom(train), examples)
		rep.Ceiling = &c
	}
	if *byHead {
		rep.ByHead = m.ByHead
	}
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	fmt.Fprintf(e.stdout, "%s on %s (n=%d): top-1 %.1f%%, top-%d %.1f%%, %.0f µs per state\n",
		*spec, tf.split, m.N, 100*m.Top1, *k, 100*m.TopK, m.MeanLatency)
	if *k > 10 {
		var parts []string
		for _, c := range slices.Sorted(maps.Keys(m.RecallAt)) {
			parts = append(parts, fmt.Sprintf("@%d %.1f%%", c, 100*m.RecallAt[c]))
		}
		fmt.Fprintf(e.stdout, "recall %s\n", strings.Join(parts, ", "))
	}
	if c := rep.Ceiling; c != nil {
		fmt.Fprintf(e.stdout, "ceiling: names known %.1f%%, shape known %.1f%%, both %.1f%%\n",
			100*c.NamesKnown, 100*c.ShapeKnown, 100*c.Reachable)
	}
	if *byHead {
		printByHead(e.stdout, m.ByHead, *k)
	}
	return nil
}

// printByHead prints the per-head accuracies, the most common heads first.
func printByHead(w io.Writer, byHead map[string]policy.HeadMetrics, k int) {
	heads := slices.SortedFunc(maps.Keys(byHead), func(a, b string) int {
		if c := cmp.Compare(byHead[b].N, byHead[a].N); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	fmt.Fprintf(w, "%-16s %6s %7s %7s\n", "tactic", "n", "top-1", fmt.Sprintf("top-%d", k))
	for _, h := range heads {
		m := byHead[h]
		fmt.Fprintf(w, "%-16s %6d %6.1f%% %6.1f%%\n", h, m.N, 100*m.Top1, 100*m.TopK)
	}
}

// llmFlags are the settings of llm: policy parts.
type llmFlags struct {
	keyEnv      string
	samples     int
	temperature float64
	maxTokens   int
	timeout     time.Duration
	retries     int
	concurrency int
}

func (l *llmFlags) register(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	Float64Var(*float64, string, float64, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&l.keyEnv, "llm-key-env", "", "environment variable holding the LLM API key (none if empty)")
	fs.IntVar(&l.samples, "llm-samples", 8, "completions sampled per state")
	fs.Float64Var(&l.temperature, "llm-temperature", 0.8, "sampling temperature (0: greedy decoding)")
	fs.IntVar(&l.maxTokens, "llm-max-tokens", 96, "tokens per completion")
	fs.DurationVar(&l.timeout, "llm-timeout", 60*time.Second, "time limit of one LLM request")
	fs.IntVar(&l.retries, "llm-retries", 3, "retries on 429, 5xx and transport errors")
	fs.IntVar(&l.concurrency, "llm-concurrency", 4, "LLM requests in flight")
}

// validate refuses --llm-* values the LLM policy cannot use: policy.LLMConfig
// reads a zero as "the default", so --llm-samples 0 would silently become 8.
// Every mode that takes --llm-* flags calls it (prove, batch, serve, bench,
// policy eval).
func (l *llmFlags) validate() error {
	switch {
	case l.samples <= 0:
		return usagef("--llm-samples must be positive, got %d", l.samples)
	case l.temperature < 0:
		return usagef("--llm-temperature must not be negative, got %g (0 is greedy decoding)", l.temperature)
	case math.IsNaN(l.temperature) || math.IsInf(l.temperature, 0):
		// They parse as floats and pass "< 0", then fail every request:
		// JSON has no encoding for them.
		return usagef("--llm-temperature must be a finite number, got %g", l.temperature)
	case l.maxTokens <= 0:
		return usagef("--llm-max-tokens must be positive, got %d", l.maxTokens)
	case l.timeout <= 0:
		return usagef("--llm-timeout must be positive, got %v", l.timeout)
	case l.retries < 0:
		return usagef("--llm-retries must not be negative, got %d (0 sends each request once)", l.retries)
	case l.concurrency <= 0:
		return usagef("--llm-concurrency must be positive, got %d", l.concurrency)
	}
	return nil
}

func (l *llmFlags) specEnv(train []corpus.Theorem) policy.SpecEnv {
	retries := l.retries
	if retries == 0 {
		retries = -1 // LLMConfig reads 0 as "default"; the flag's 0 means none
	}
	return policy.SpecEnv{
		Train: func() ([]policy.Example, error) {
			if len(train) == 0 {
				return nil, fmt.Errorf("frequency: the train part of --traces is empty")
			}
			return policy.ExamplesFrom(train), nil
		},
		LLM: policy.LLMConfig{APIKeyEnv: l.keyEnv, Samples: l.samples, Temperature: float32(l.temperature),
			MaxTokens: l.maxTokens, Timeout: l.timeout, Retries: retries, Concurrency: l.concurrency},
		Getenv: os.Getenv,
	}
}
