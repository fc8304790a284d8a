package policy_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/policy"
	"github.com/leanprove/leanprove/search"
)

// smallExamples is a toy memory: membership goals closed by a hypothesis,
// equalities closed by rfl, and conjunctions split by constructor.
func smallExamples() []policy.Example {
	return []policy.Example{
		{State: "α : Type\ns t : Set α\nx : α\nhx : x ∈ s\nhst : s ⊆ t\n⊢ x ∈ t", Tactic: "exact hst hx"},
		{State: "α : Type\nu v : Set α\ny : α\nhy : y ∈ u\nhuv : u ⊆ v\n⊢ y ∈ v", Tactic: "exact huv hy"},
		{State: "n : ℕ\n⊢ n + 0 = n", Tactic: "rfl"},
		{State: "m : ℕ\n⊢ m * 1 = m", Tactic: "simp"},
		{State: "p q : Prop\nhp : p\nhq : q\n⊢ p ∧ q", Tactic: "exact ⟨hp, hq⟩"},
		{State: "a b : Prop\nha : a\nhb : b\n⊢ a ∧ b", Tactic: "constructor"},
		{State: "n : ℕ\n⊢ 0 + n = n", Tactic: "simp"},
	}
}

func TestLearnedRefillsHypotheses(t *testing.T) {
	l := policy.Train(smallExamples(), policy.LearnedParams{})
	tests := []struct {
		state string
		want  string // must be among the first 3
	}{
		{"β : Type\nA B : Set β\nz : β\nhz : z ∈ A\nhAB : A ⊆ B\n⊢ z ∈ B", "exact hAB hz"},
		{"r s : Prop\nhr : r\nhs : s\n⊢ r ∧ s", "exact ⟨hr, hs⟩"},
		{"k : ℕ\n⊢ 0 + k = k", "simp"},
	}
	for _, tt := range tests {
		cands, err := l.Propose(context.Background(), corpus.ParseState(tt.state), 3)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		found := false
		for _, c := range cands {
			got = append(got, c.Tactic)
			if c.Tactic == tt.want {
				found = true
			}
			if c.Prior < 0 || c.Prior > 1 {
				t.Errorf("prior %v outside [0,1]", c.Prior)
			}
		}
		if !found {
			t.Errorf("state %q: proposals %q lack %q", tt.state, got, tt.want)
		}
		for i := 1; i < len(cands); i++ {
			if cands[i].Prior > cands[i-1].Prior {
				t.Errorf("priors not descending: %v", cands)
			}
		}
	}
}

func TestLearnedEdgeCases(t *testing.T) {
	ctx := context.Background()
	l := policy.Train(smallExamples(), policy.LearnedParams{})
	// No goals, and a state sharing no feature: the frequency fallback.
	for _, st := range []search.State{{}, corpus.ParseState("⊢ ζζζ")} {
		cands, err := l.Propose(ctx, st, 2)
		if err != nil || len(cands) != 2 || cands[0].Tactic != "simp" {
			t.Errorf("%q: %v %v, want the frequency fallback led by simp", st.Goals, cands, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.Propose(cctx, corpus.ParseState("⊢ True"), 2); err == nil {
		t.Error("cancelled context accepted")
	}
	empty := policy.Train(nil, policy.LearnedParams{})
	if cands, err := empty.Propose(ctx, corpus.ParseState("⊢ True"), 4); err != nil || len(cands) != 0 {
		t.Errorf("empty model: %v %v", cands, err)
	}
}

func TestModelRoundTrip(t *testing.T) {
	l := policy.Train(smallExamples(), policy.LearnedParams{Neighbors: 5})
	path := filepath.Join(t.TempDir(), "m.model")
	if err := l.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := policy.LoadLearned(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Params() != l.Params() || back.Size() != l.Size() {
		t.Errorf("params %+v size %d, want %+v %d", back.Params(), back.Size(), l.Params(), l.Size())
	}
	for _, ex := range smallExamples() {
		st := corpus.ParseState(ex.State)
		a, _ := l.Propose(context.Background(), st, 5)
		b, _ := back.Propose(context.Background(), st, 5)
		if len(a) != len(b) {
			t.Fatalf("%d vs %d candidates", len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("candidate %d: %v vs %v", i, a[i], b[i])
			}
		}
	}
}

func TestModelFileErrors(t *testing.T) {
	tests := []struct{ name, text, mention string }{
		{"empty", "", "empty"},
		{"not a model", "hello\n", "header"},
		{"future version", "leanprove learned-policy v9\n{}", "version 9"},
		{"old version", "leanprove learned-policy v1\n{}", "retrain"},
		{"bad body", "leanprove learned-policy v3\n{\"examples\": 3}", "body"},
		{"last version", "leanprove learned-policy v2\n{}", "retrain"},
	}
	for _, tt := range tests {
		_, err := policy.ReadLearned(strings.NewReader(tt.text))
		if !errors.Is(err, policy.ErrModelFormat) || !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s: err %v, want ErrModelFormat mentioning %q", tt.name, err, tt.mention)
		}
	}
	var buf bytes.Buffer
	if err := policy.Train(smallExamples(), policy.LearnedParams{}).Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "leanprove learned-policy v3\n") {
		t.Errorf("header %q", strings.SplitN(buf.String(), "\n", 2)[0])
	}
	if _, err := policy.LoadLearned(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing file loaded")
	}
	// A directory (learned:/tmp) is not an empty model file.
	dir := t.TempDir()
	if _, err := policy.LoadLearned(dir); !errors.Is(err, policy.ErrModelFormat) || !strings.Contains(err.Error(), "a directory") || !strings.Contains(err.Error(), dir) {
		t.Errorf("loading a directory: %v, want ErrModelFormat naming it as a directory", err)
	}
}

func TestFrequencyAndEvaluate(t *testing.T) {
	ex := smallExamples()
	f := policy.NewFrequency(ex)
	cands, _ := f.Propose(context.Background(), search.State{}, 2)
	if len(cands) != 2 || cands[0].Tactic != "simp" || cands[0].Prior != 2.0/7 {
		t.Fatalf("frequency proposals %v", cands)
	}
	m, err := policy.Evaluate(context.Background(), f, ex, 1)
	if err != nil {
		t.Fatal(err)
	}
	if m.N != 7 || m.Top1 != 2.0/7 || m.TopK != 2.0/7 {
		t.Errorf("metrics %+v, want n=7 top1=top10=2/7", m)
	}
	wantHeads := map[string]policy.HeadMetrics{
		"exact":       {N: 3},
		"rfl":         {N: 1},
		"simp":        {N: 2, Top1: 1, TopK: 1}, // the frequency policy's one proposal
		"constructor": {N: 1},
	}
	if !reflect.DeepEqual(m.ByHead, wantHeads) {
		t.Errorf("by head %+v, want %+v", m.ByHead, wantHeads)
	}
	// Six proposals are every distinct tactic, simp (used twice) first: the
	// recall curve at the cutoffs up to k, and at k.
	m, err = policy.Evaluate(context.Background(), f, ex, 6)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int]float64{1: 2.0 / 7, 5: 6.0 / 7, 6: 1}; !reflect.DeepEqual(m.RecallAt, want) {
		t.Errorf("recall at %v, want %v", m.RecallAt, want)
	}
	bad := search.PolicyFunc(func(context.Context, search.State, int) ([]search.Candidate, error) {
		return nil, errors.New("boom")
	})
	if _, err := policy.Evaluate(context.Background(), bad, ex, 1); err == nil {
		t.Error("policy error swallowed")
	}
}

func sharedSplit(t testing.TB) (train, dev []policy.Example) {
	dir := sharedTraces(t)
	res, err := corpus.LoadFiles([]string{
		filepath.Join(dir, "mathlib-f8b56ceb-random-val.json"),
		filepath.Join(dir, "mathlib-29dcec07-random-train-sample.json"),
	}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr, dv := corpus.Split(res.Theorems, 20)
	return policy.ExamplesFrom(tr), policy.ExamplesFrom(dv)
}

// TestSharedDevAccuracy trains on the train part of the shared traces and
// checks the learned policy beats the frequency baseline on the dev part.
func TestSharedDevAccuracy(t *testing.T) {
	train, dev := sharedSplit(t)
	ctx := context.Background()
	start := time.Now()
	l := policy.Train(train, policy.LearnedParams{})
	t.Logf("trained on %d steps in %v", len(train), time.Since(start))
	lm, err := policy.Evaluate(ctx, l, dev, 10)
	if err != nil {
		t.Fatal(err)
	}
	fm, _ := policy.Evaluate(ctx, policy.NewFrequency(train), dev, 10)
	t.Logf("dev n=%d learned top1 %.3f top10 %.3f; frequency top1 %.3f top10 %.3f", lm.N, lm.Top1, lm.TopK, fm.Top1, fm.TopK)
	if lm.Top1 <= fm.Top1 || lm.TopK <= fm.TopK {
		t.Errorf("learned %+v does not beat frequency %+v", lm, fm)
	}
}

func BenchmarkLearnedPropose(b *testing.B) {
	train, dev := sharedSplit(b)
	l := policy.Train(train, policy.LearnedParams{})
	states := make([]search.State, len(dev))
	for i, ex := range dev {
		states[i] = corpus.ParseState(ex.State)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := l.Propose(ctx, states[i%len(states)], 16); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLearnedTrain(b *testing.B) {
	train, _ := sharedSplit(b)
	for b.Loop() {
		policy.Train(train, policy.LearnedParams{})
	}
}
