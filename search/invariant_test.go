package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// numbers is a small domain with many transpositions and cycles: reach 0
// from n with "dec" (n-1), "inc" (n+1), "half" (n/2, even n only) and
// "nope" (always fails).
var numbers = ProverFunc(func(ctx context.Context, s State, tac string) (Step, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(s.Goals[0], "⊢ n = "))
	if err != nil {
		return Step{}, err
	}
	if d := time.Duration(n%3) * 50 * time.Microsecond; d > 0 {
		time.Sleep(d) // vary completion order when several run at once
	}
	switch tac {
	case "dec":
		n--
	case "inc":
		n++
	case "half":
		if n%2 != 0 {
			return Step{Outcome: OutcomeError, Message: "odd"}, nil
		}
		n /= 2
	default:
		return Step{Outcome: OutcomeError, Message: "no"}, nil
	}
	if n == 0 {
		return Step{Outcome: OutcomeProved}, nil
	}
	return Step{Outcome: OutcomeGoals, State: State{Goals: []string{"⊢ n = " + strconv.Itoa(n)}}}, nil
})

var numberPolicy = PolicyFunc(func(ctx context.Context, s State, k int) ([]Candidate, error) {
	return []Candidate{{"inc", 0.4}, {"dec", 0.3}, {"half", 0.2}, {"nope", 0.1}}[:min(k, 4)], nil
})

// failFirstPolicy proposes the failing tactics first: with k=1, a node
// needs its widenings (k=2 adds "half", k=4 "dec" and "inc") to get
// anywhere.
var failFirstPolicy = PolicyFunc(func(ctx context.Context, s State, k int) ([]Candidate, error) {
	return []Candidate{{"nope", 0.4}, {"half", 0.3}, {"dec", 0.2}, {"inc", 0.1}}[:min(k, 4)], nil
})

// TestInvariants runs searches in many settings and checks what must hold
// afterwards: every virtual loss was removed, visits add up, proofs replay,
// budgets hold.
func TestInvariants(t *testing.T) {
	for _, mode := range []Mode{ModeMCTS, ModeBestFirst} {
		for _, workers := range []int{1, 3, 8} {
			for _, start := range []int{37, 1000, -1} {
				// k=1 with failFirstPolicy: every node needs its
				// widenings, amid inc/dec cycles.
				for _, k := range []int{16, 1} {
					t.Run(fmt.Sprintf("%v/workers=%d/from=%d/k=%d", mode, workers, start, k), func(t *testing.T) {
						start := start // the k loop shares it
						p := Params{Mode: mode, Workers: workers, MaxProverCalls: 300, CollisionLimit: 2, CandidatesPerNode: k}
						if start < 0 {
							// Far away, and stopped by the clock mid-flight.
							start, p.WallTime, p.MaxProverCalls = 100000, 3*time.Millisecond, 1<<20
						}
						root := State{Goals: []string{"⊢ n = " + strconv.Itoa(start)}}
						policy := numberPolicy
						if k == 1 {
							policy = failFirstPolicy
						}
						r, err := Run(context.Background(), root, numbers, policy, p)
						if err != nil {
							t.Fatal(err)
						}
						checkInvariants(t, r)
						if r.Stats.ProverCalls > p.MaxProverCalls {
							t.Errorf("%d prover calls, budget 300", r.Stats.ProverCalls)
						}
						if r.Proved {
							s := root
							for i, tac := range r.Proof {
								step, err := numbers(context.Background(), s, tac)
								if err != nil {
									t.Fatal(err)
								}
								if step.Outcome == OutcomeProved && i == len(r.Proof)-1 {
									return
								}
								if step.Outcome != OutcomeGoals {
									t.Fatalf("proof %q fails at %d", r.Proof, i)
								}
								s = step.State
							}
							t.Fatalf("proof %q does not close the goal", r.Proof)
						} else if start == 37 {
							t.Errorf("37 → 0 not proved in 300 calls: stop %v", r.Stop)
						}
					})
				}
			}
		}
	}
}

func checkInvariants(t *testing.T, r *Result) {
	t.Helper()
	seenKeys := map[Key]bool{}
	for _, n := range r.nodes {
		if n.vl != 0 {
			t.Errorf("node %d keeps virtual loss %d", n.id, n.vl)
		}
		if seenKeys[n.key] {
			t.Errorf("two nodes share key %v", n.key)
		}
		seenKeys[n.key] = true
		if n.key != KeyOf(n.state.Goals) {
			t.Errorf("node %d: key does not match its goals", n.id)
		}
		if n.depth() != len(n.state.Trace) {
			t.Errorf("node %d: depth", n.id)
		}
		if n.expand == expanding {
			t.Errorf("node %d still marked expanding", n.id)
		}
		live := false
		for i := range n.edges {
			e := &n.edges[i]
			if e.vl != 0 {
				t.Errorf("node %d edge %q keeps virtual loss %d", n.id, e.tactic, e.vl)
			}
			if e.status == running {
				t.Errorf("node %d edge %q still marked running", n.id, e.tactic)
			}
			if e.status == applied && e.child == nil {
				t.Errorf("node %d edge %q applied without a child", n.id, e.tactic)
			}
			if e.status != applied && e.status != closed && e.n > 0 {
				t.Errorf("node %d edge %q (%v) has %d visits", n.id, e.tactic, e.status, e.n)
			}
			live = live || e.live()
		}
		if n.solve == dead && live {
			t.Errorf("node %d is dead with a live edge", n.id)
		}
		if n.solve == proved {
			e := &n.edges[n.proofEdge]
			if e.status != closed && (e.status != applied || e.child.solve != proved) {
				t.Errorf("node %d is proved by edge %q which proves nothing", n.id, e.tactic)
			}
		}
		if n.q < 0 || n.q > 1 {
			t.Errorf("node %d: Q %v outside [0, 1]", n.id, n.q)
		}
	}
	widened := 0
	for _, n := range r.nodes {
		widened += n.widened
	}
	if widened != r.Stats.Widenings || r.Stats.Widenings > r.Stats.Expansions {
		t.Errorf("Stats.Widenings %d, nodes widened %d times, %d expansions", r.Stats.Widenings, widened, r.Stats.Expansions)
	}
	if r.Stats.Nodes != len(r.nodes) {
		t.Errorf("Stats.Nodes %d, graph has %d", r.Stats.Nodes, len(r.nodes))
	}
}
