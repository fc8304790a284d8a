package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomGraph is a small proof graph with cycles and transpositions: each
// state has up to 6 tactics, each failing, closing the goal, or leading to
// a state.
type randomGraph [][]randomArc

type randomArc struct {
	tactic string
	to     int // a state, or arcFails or arcCloses
}

const (
	arcFails  = -1
	arcCloses = -2
)

func newRandomGraph(seed uint64) randomGraph {
	rng := rand.New(rand.NewPCG(seed, 1))
	g := make(randomGraph, 3+rng.IntN(6))
	for s := range g {
		for i := range rng.IntN(7) {
			to := rng.IntN(len(g)+2) - 2 // arcCloses, arcFails, or a state
			if to == arcCloses && rng.IntN(3) > 0 {
				to = arcFails // proofs rare enough that many graphs have none
			}
			g[s] = append(g[s], randomArc{fmt.Sprintf("t%d", i), to})
		}
	}
	return g
}

func randomGoal(s int) string { return fmt.Sprintf("⊢ s%d", s) }

func randomState(st State) int {
	var s int
	fmt.Sscanf(st.Goals[0], "⊢ s%d", &s)
	return s
}

func (g randomGraph) prover() Prover {
	return ProverFunc(func(ctx context.Context, st State, tac string) (Step, error) {
		for _, a := range g[randomState(st)] {
			switch {
			case a.tactic != tac:
			case a.to == arcCloses:
				return Step{Outcome: OutcomeProved}, nil
			case a.to >= 0:
				return Step{Outcome: OutcomeGoals, State: State{Goals: []string{randomGoal(a.to)}}}, nil
			}
		}
		return Step{Outcome: OutcomeError}, nil
	})
}

// policy proposes a state's tactics in order, with falling priors.
func (g randomGraph) policy() Policy {
	return PolicyFunc(func(ctx context.Context, st State, k int) ([]Candidate, error) {
		var out []Candidate
		for i, a := range g[randomState(st)] {
			if len(out) == k {
				break
			}
			out = append(out, Candidate{a.tactic, 1 / float64(i+2)})
		}
		return out, nil
	})
}

// provable reports whether state 0 has a proof.
func (g randomGraph) provable() bool {
	ok := make([]bool, len(g))
	for changed := true; changed; {
		changed = false
		for s, arcs := range g {
			for _, a := range arcs {
				if !ok[s] && (a.to == arcCloses || a.to >= 0 && ok[a.to]) {
					ok[s], changed = true, true
				}
			}
		}
	}
	return ok[0]
}

// With one candidate per expansion and three widenings (1, 2, 4, 8: more
// than any state has), a search with budget to spare proves every provable
// random graph, cycles and all, and never an unprovable one.
func TestWideningFindsEveryProofOfRandomGraphs(t *testing.T) {
	for seed := range uint64(300) {
		g := newRandomGraph(seed)
		want := g.provable()
		for _, mode := range []Mode{ModeMCTS, ModeBestFirst} {
			for _, workers := range []int{1, 3} {
				p := Params{Mode: mode, Workers: workers, CandidatesPerNode: 1, Widenings: 3, Seed: int64(seed)}
				r, err := Run(context.Background(), State{Goals: []string{randomGoal(0)}}, g.prover(), g.policy(), p)
				if err != nil {
					t.Fatal(err)
				}
				checkInvariants(t, r)
				if r.Proved != want {
					t.Errorf("graph %d, %v, %d workers: proved %v, want %v (stop %v, %+v)", seed, mode, workers, r.Proved, want, r.Stop, r.Stats)
				}
			}
		}
	}
}
