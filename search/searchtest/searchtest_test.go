package searchtest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leanprove/leanprove/search"
)

var bg = context.Background()

// TestGoodPathProves follows the good tactic from a root and must close the
// goal in exactly Depth steps.
func TestGoodPathProves(t *testing.T) {
	for _, depth := range []int{1, 3, 9} {
		w := &World{Seed: 4, Depth: depth, ErrorRate: 0.5, TranspositionRate: 0.5}
		s := w.Root(0)
		for step := 1; ; step++ {
			d, ok := w.Distance(s)
			if !ok || d != depth-step+1 {
				t.Fatalf("depth %d, step %d: distance %d, %v", depth, step, d, ok)
			}
			res, err := w.Apply(bg, s, Tactic(w.Good(s)))
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome == search.OutcomeProved {
				if step != depth {
					t.Errorf("depth %d: proved after %d steps", depth, step)
				}
				break
			}
			if res.Outcome != search.OutcomeGoals || step > depth {
				t.Fatalf("depth %d, step %d: %v", depth, step, res.Outcome)
			}
			s = res.State
		}
	}
}

// TestOutcomeMix checks the configured rates show up, and that Apply is a
// pure function of state and tactic.
func TestOutcomeMix(t *testing.T) {
	w := &World{Seed: 9, Depth: 50, Branching: 10, ErrorRate: 0.3, TimeoutRate: 0.1, DeadEndRate: 0.2, TranspositionRate: 0.5, PoolSize: 2}
	counts := map[search.Outcome]int{}
	dead, seen, repeats := 0, map[string]bool{}, 0
	for i := range 300 {
		s := w.Root(i)
		for tac := range 10 {
			a, err := w.Apply(bg, s, Tactic(tac))
			b, _ := w.Apply(bg, s, Tactic(tac))
			if err != nil || !reflect.DeepEqual(a, b) {
				t.Fatalf("Apply is not deterministic: %+v %+v %v", a, b, err)
			}
			counts[a.Outcome]++
			if a.Outcome == search.OutcomeGoals {
				if d, _ := w.Distance(a.State); d < 0 {
					dead++
				}
				key := a.State.String()
				if seen[key] {
					repeats++
				}
				seen[key] = true
			}
		}
	}
	total := 3000.0
	if e := float64(counts[search.OutcomeError]) / total; e < 0.2 || e > 0.35 {
		t.Errorf("error share %.2f, want about 0.3·0.9", e)
	}
	if counts[search.OutcomeTimeout] == 0 || dead == 0 {
		t.Errorf("timeouts %d, dead ends %d: both configured, neither may be zero", counts[search.OutcomeTimeout], dead)
	}
	if repeats == 0 {
		t.Errorf("no state reached twice: transpositions configured but absent")
	}
	if res, _ := w.Apply(bg, w.Root(0), "ring_nf"); res.Outcome != search.OutcomeInvalid {
		t.Errorf("unknown tactic gave %v, want invalid", res.Outcome)
	}
	if _, err := w.Apply(bg, search.State{Goals: []string{"⊢ True"}}, "tac0"); err == nil {
		t.Errorf("a foreign state gave no error")
	}
}

func TestProverFailures(t *testing.T) {
	w := &World{Seed: 1, ProverFailRate: 0.5}
	fails := 0
	for i := range 200 {
		if _, err := w.Apply(bg, w.Root(i), "tac0"); errors.Is(err, ErrProverCrashed) {
			fails++
		}
	}
	if fails < 60 || fails > 140 {
		t.Errorf("%d of 200 calls failed, want about 100", fails)
	}
}

// TestPolicyQuality: without noise the good tactic ranks first every
// time; with a lot of noise it often does not.
func TestPolicyQuality(t *testing.T) {
	w := &World{Seed: 2, Depth: 5, Branching: 10}
	top1 := func(noise float64) int {
		p := &Policy{World: w, Noise: noise, Seed: 1}
		hits := 0
		for i := range 200 {
			s := w.Root(i)
			c, err := p.Propose(bg, s, 4)
			if err != nil || len(c) != 4 {
				t.Fatalf("Propose: %v, %d candidates", err, len(c))
			}
			sum := 0.0
			for j, x := range c {
				sum += x.Prior
				if j > 0 && x.Prior > c[j-1].Prior {
					t.Fatalf("candidates not best first: %+v", c)
				}
			}
			if sum > 1+1e-9 {
				t.Fatalf("priors sum to %v", sum)
			}
			if c[0].Tactic == Tactic(w.Good(s)) {
				hits++
			}
		}
		return hits
	}
	if got := top1(0); got != 200 {
		t.Errorf("noise 0: good tactic first %d/200 times, want all", got)
	}
	if got := top1(3); got > 150 {
		t.Errorf("noise 3: good tactic first %d/200 times; noise should hide it often", got)
	}
}

func TestValuedPolicy(t *testing.T) {
	w := &World{Seed: 3, Depth: 6}
	p := &ValuedPolicy{Policy: Policy{World: w}}
	near, _ := p.Value(bg, search.State{Goals: w.goals(point{dist: 1, id: 5})})
	far, _ := p.Value(bg, search.State{Goals: w.goals(point{dist: 6, id: 5})})
	deadEnd, _ := p.Value(bg, search.State{Goals: w.goals(point{dist: -1, id: 5})})
	if !(near > far && far > deadEnd && deadEnd == 0) {
		t.Errorf("values near %v, far %v, dead end %v: want decreasing to 0", near, far, deadEnd)
	}
}

func TestProblemsAreFixed(t *testing.T) {
	a, b := Problems(20, 7), Problems(20, 7)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("Problems is not deterministic")
	}
	if reflect.DeepEqual(a, Problems(20, 8)) {
		t.Errorf("another seed gave the same set")
	}
	for _, p := range a {
		if d, ok := p.World.Distance(p.Root); !ok || d != p.World.Depth || d < 3 || d > 10 {
			t.Errorf("%s: root distance %d", p.Name, d)
		}
	}
}

// TestLatencyHonoursContext uses synctest's clock: a call takes its
// latency, and a cancelled one returns at once with the context's error.
func TestLatencyHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := &World{Seed: 1, Latency: 20 * time.Millisecond}
		start := time.Now()
		if _, err := w.Apply(bg, w.Root(0), "tac0"); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 20*time.Millisecond {
			t.Errorf("Apply took %v, want 20ms", got)
		}
		ctx, cancel := context.WithTimeout(bg, 5*time.Millisecond)
		defer cancel()
		if _, err := w.Apply(ctx, w.Root(0), "tac0"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want deadline exceeded", err)
		}
	})
}
