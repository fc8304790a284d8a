package search_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/leanprove/leanprove/search"
	"github.com/leanprove/leanprove/search/searchtest"
)

// hopeless is a world whose proofs lie far beyond any budget used here.
func hopeless() *searchtest.World {
	return &searchtest.World{Seed: 7, Depth: 1000, ErrorRate: 0.3, DeadEndRate: 0.05, TranspositionRate: 0.2}
}

func TestCountBudgets(t *testing.T) {
	tests := []struct {
		name  string
		p     search.Params
		want  search.StopReason
		check func(s search.Stats) bool
	}{
		{"prover calls", search.Params{MaxProverCalls: 50, MaxExpansions: 10000}, search.StopProverCalls,
			func(s search.Stats) bool { return s.ProverCalls == 50 }},
		{"expansions", search.Params{MaxProverCalls: 10000, MaxExpansions: 20}, search.StopExpansions,
			func(s search.Stats) bool { return s.Expansions == 20 }},
		{"rollout counts its calls", search.Params{MaxProverCalls: 31, MaxExpansions: 10000, ClosingRollout: true}, search.StopProverCalls,
			func(s search.Stats) bool { return s.ProverCalls == 31 }},
	}
	for _, tt := range tests {
		for _, mode := range modes {
			for _, workers := range []int{1, 4} {
				t.Run(fmt.Sprintf("%s/%v/workers=%d", tt.name, mode, workers), func(t *testing.T) {
					w := hopeless()
					p := tt.p
					p.Mode, p.Workers = mode, workers
					r, err := search.Run(context.Background(), w.Root(0), w, &searchtest.Policy{World: w, Noise: 1}, p)
					if err != nil {
						t.Fatal(err)
					}
					if r.Stop != tt.want || !tt.check(r.Stats) {
						t.Errorf("stop %v, stats %+v; want stop %v and the budget spent exactly", r.Stop, r.Stats, tt.want)
					}
				})
			}
		}
	}
}

// TestWallTime runs a search whose every tactic takes a second against a
// ten-second budget, on synctest's fake clock.
func TestWallTime(t *testing.T) {
	for _, mode := range modes {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("%v/workers=%d", mode, workers), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					w := hopeless()
					w.Latency = time.Second
					start := time.Now()
					r, err := search.Run(context.Background(), w.Root(0), w, &searchtest.Policy{World: w},
						search.Params{Mode: mode, Workers: workers, WallTime: 10 * time.Second, MaxProverCalls: 1 << 20, MaxExpansions: 1 << 20})
					if err != nil {
						t.Fatal(err)
					}
					if r.Stop != search.StopWallTime {
						t.Errorf("stop %v, want wall-time", r.Stop)
					}
					if got := time.Since(start); got != 10*time.Second {
						t.Errorf("search took %v of fake time, want exactly 10s", got)
					}
					// Ten seconds, one second a call, and the call in flight
					// at the deadline was counted when it started.
					if max := 11 * workers; r.Stats.ProverCalls > max || r.Stats.ProverCalls < 9*workers {
						t.Errorf("prover calls %d, want about %d", r.Stats.ProverCalls, 10*workers)
					}
				})
			})
		}
	}
}

func TestCancellation(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := hopeless()
				w.Latency = time.Second
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				r, err := search.Run(ctx, w.Root(0), w, &searchtest.Policy{World: w},
					search.Params{Mode: mode, Workers: 4, WallTime: time.Hour, MaxProverCalls: 1 << 20})
				if err != nil {
					t.Fatal(err)
				}
				if r.Stop != search.StopCancelled {
					t.Errorf("stop %v, want cancelled", r.Stop)
				}
				// synctest.Test itself fails if a goroutine the search
				// started is still running when the bubble ends.
			})
		})
	}
}

// TestTacticTimeout: a tactic that hangs is timed out and counts as failed;
// the search goes on to the proof beside it.
func TestTacticTimeout(t *testing.T) {
	forEachSetting(t, func(t *testing.T, p search.Params) {
		synctest.Test(t, func(t *testing.T) {
			g := &searchtest.Graph{Root: "⊢ R", Arcs: map[string][]searchtest.Arc{
				"⊢ R": {a("hang", "!hang"), a("ok", "⊢ A")},
				"⊢ A": {a("hang", "!hang"), a("done", "")},
			}}
			p.TacticTimeout = 3 * time.Second
			start := time.Now()
			r := run(t, g, p)
			if !r.Proved {
				t.Fatalf("not proved: stop %v", r.Stop)
			}
			if got := time.Since(start); got > 6*time.Second {
				t.Errorf("search took %v of fake time; two timeouts of 3s at most", got)
			}
			timedOut := 0
			for _, n := range r.Tree().Nodes {
				for _, e := range n.Edges {
					if e.Tactic == "hang" && e.Status == "failed" && strings.HasPrefix(e.Message, "timeout") {
						timedOut++
					}
				}
			}
			// One worker must wait out the hang, then moves on; several
			// find the proof beside it first and cancel it.
			if p.Workers == 1 && timedOut == 0 {
				t.Errorf("no hanging tactic was recorded as failed")
			}
		})
	})
}

// TestNoGoroutineLeak stops busy searches (proved, cancelled, out of
// budget) and checks the goroutine count settles back, outside synctest.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := hopeless()
			w.Latency = 200 * time.Microsecond
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i)*5*time.Millisecond)
			defer cancel()
			_, err := search.Run(ctx, w.Root(i), w, &searchtest.Policy{World: w}, search.Params{Mode: modes[i%2], Workers: 8, MaxProverCalls: 100})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var after int
	for range 100 {
		if after = runtime.NumGoroutine(); after <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
}

func export(t *testing.T, r *search.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Tree().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if err := r.Tree().WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// jittery wraps a prover with random real latency, so completion order
// varies from run to run.
type jittery struct{ search.Prover }

func (j jittery) Apply(ctx context.Context, s search.State, tac string) (search.Step, error) {
	time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
	return j.Prover.Apply(ctx, s, tac)
}

// TestDeterminism: the same seed gives the same Result and the same tree,
// with one worker, and with several workers when InOrder is set.
func TestDeterminism(t *testing.T) {
	tests := []struct {
		name    string
		p       search.Params
		jitter  bool
		valuer  bool
		problem int
	}{
		{"mcts one worker", search.Params{Mode: search.ModeMCTS}, false, false, 1},
		{"mcts valued ucb1", search.Params{Mode: search.ModeMCTS, Selection: search.SelectUCB1}, false, true, 2},
		{"bestfirst one worker", search.Params{Mode: search.ModeBestFirst, LengthNormalize: true}, false, false, 3},
		{"mcts in order, 4 workers, jitter", search.Params{Mode: search.ModeMCTS, Workers: 4, InOrder: true}, true, false, 4},
		{"bestfirst in order, 4 workers, jitter", search.Params{Mode: search.ModeBestFirst, Workers: 4, InOrder: true}, true, false, 5},
		{"mcts rollout", search.Params{Mode: search.ModeMCTS, ClosingRollout: true, ClosingTactics: []string{"tac0", "tac1"}}, false, false, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			once := func() (*search.Result, string) {
				w := &searchtest.World{Seed: 11, Depth: 12, ErrorRate: 0.3, DeadEndRate: 0.1, TranspositionRate: 0.3, PoolSize: 3}
				var prover search.Prover = w
				if tt.jitter {
					prover = jittery{w}
				}
				var policy search.Policy = &searchtest.Policy{World: w, Noise: 1.5, Seed: 3}
				if tt.valuer {
					policy = &searchtest.ValuedPolicy{Policy: searchtest.Policy{World: w, Noise: 1.5, Seed: 3}, ValueNoise: 0.2}
				}
				p := tt.p
				p.Seed, p.MaxProverCalls = 42, 150
				r, err := search.Run(context.Background(), w.Root(tt.problem), prover, policy, p)
				if err != nil {
					t.Fatal(err)
				}
				r.Stats.Elapsed = 0
				return r, export(t, r)
			}
			r1, e1 := once()
			r2, e2 := once()
			if !reflect.DeepEqual(r1.Proof, r2.Proof) || r1.Stats != r2.Stats || r1.Stop != r2.Stop {
				t.Errorf("results differ:\n%+v\n%+v", r1, r2)
			}
			if e1 != e2 {
				t.Errorf("tree exports differ (%d and %d bytes)", len(e1), len(e2))
			}
			if r1.Stats.Nodes < 10 {
				t.Errorf("only %d nodes: too small a search to show anything", r1.Stats.Nodes)
			}
		})
	}
}

// TestTraceIsThePath searches a world with many transpositions, in
// parallel, and checks every state handed to the prover or the policy
// carries a trace that replays to it.
func TestTraceIsThePath(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.String(), func(t *testing.T) {
			w := &searchtest.World{Seed: 5, Depth: 8, ErrorRate: 0.2, DeadEndRate: 0.1, TranspositionRate: 0.5, PoolSize: 2}
			root := w.Root(0)
			var mu sync.Mutex
			var bad []string
			check := func(s search.State, who string) {
				cur := root
				for _, tac := range s.Trace {
					step, err := w.Apply(context.Background(), cur, tac)
					if err != nil || step.Outcome != search.OutcomeGoals {
						mu.Lock()
						bad = append(bad, fmt.Sprintf("%s: trace %q does not replay at %q", who, s.Trace, tac))
						mu.Unlock()
						return
					}
					cur = step.State
				}
				if search.KeyOf(cur.Goals) != search.KeyOf(s.Goals) {
					mu.Lock()
					bad = append(bad, fmt.Sprintf("%s: trace %q reaches %q, not %q", who, s.Trace, cur.Goals, s.Goals))
					mu.Unlock()
				}
			}
			prover := search.ProverFunc(func(ctx context.Context, s search.State, tac string) (search.Step, error) {
				check(s, "apply")
				return w.Apply(ctx, s, tac)
			})
			pol := &searchtest.Policy{World: w, Noise: 1}
			policy := search.PolicyFunc(func(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
				check(s, "propose")
				return pol.Propose(ctx, s, k)
			})
			r, err := search.Run(context.Background(), root, prover, policy, search.Params{Mode: mode, Workers: 4, MaxProverCalls: 400})
			if err != nil {
				t.Fatal(err)
			}
			if r.Stats.TranspositionHits == 0 {
				t.Errorf("no transpositions: the test shows nothing")
			}
			for _, b := range bad {
				t.Error(b)
			}
			if r.Proved {
				cur := root
				for i, tac := range r.Proof {
					step, err := w.Apply(context.Background(), cur, tac)
					if err != nil {
						t.Fatal(err)
					}
					if step.Outcome == search.OutcomeProved {
						if i != len(r.Proof)-1 {
							t.Errorf("proof %q closes early at step %d", r.Proof, i)
						}
						return
					}
					cur = step.State
				}
				t.Errorf("proof %q does not close the goal", r.Proof)
			}
		})
	}
}

// TestWallTimeDuringRootExpansion: the clock running out while the policy
// thinks about the root is a wall-time stop, not a policy failure.
func TestWallTimeDuringRootExpansion(t *testing.T) {
	for _, workers := range []int{1, 2} {
		for _, mode := range modes {
			t.Run(fmt.Sprintf("%v/workers=%d", mode, workers), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					w := hopeless()
					slow := &searchtest.Policy{World: w, Latency: time.Minute}
					r, err := search.Run(context.Background(), w.Root(0), w, slow, search.Params{Mode: mode, Workers: workers, WallTime: time.Second})
					if err != nil {
						t.Fatalf("Run: %v", err)
					}
					if r.Stop != search.StopWallTime || r.Stats.PolicyErrors != 0 {
						t.Errorf("stop %v, policy errors %d; want wall-time and none", r.Stop, r.Stats.PolicyErrors)
					}
				})
			})
		}
	}
}
