package searchtest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/leanprove/leanprove/search"
)

// ErrProverCrashed is what Apply returns for a simulated prover failure.
var ErrProverCrashed = errors.New("searchtest: simulated prover failure")

// A World is a synthetic theorem-proving domain. The zero value of a field
// means its default; see the field comments.
type World struct {
	Seed uint64
	// Branching is the number of tactics "tac0" … that make sense in every
	// state; default 8.
	Branching int
	// Depth is the distance from a root to its proof along good tactics;
	// default 4.
	Depth int
	// ErrorRate is the share of non-good tactics Lean rejects.
	ErrorRate float64
	// TimeoutRate is the share of non-good tactics that time out.
	TimeoutRate float64
	// DeadEndRate is the share of non-good tactics that lead to a state
	// where every tactic fails.
	DeadEndRate float64
	// TranspositionRate is the share of successors drawn from a pool of
	// PoolSize states per distance, shared by every path.
	TranspositionRate float64
	// PoolSize is the size of that pool; default 4.
	PoolSize int
	// GoalsPerStep, when positive, shows the distance in the goal list: a
	// state at distance d has 1 + d/GoalsPerStep goals, which gives the
	// search's goal-count heuristic something to see.
	GoalsPerStep int
	// Latency is how long each Apply takes (a timer, so it honours the
	// context and testing/synctest's fake clock).
	Latency time.Duration
	// ProverFailRate is the share of calls where Apply returns an error.
	ProverFailRate float64
}

func (w *World) branching() int { return defaultInt(w.Branching, 8) }
func (w *World) depth() int     { return defaultInt(w.Depth, 4) }
func (w *World) poolSize() int  { return defaultInt(w.PoolSize, 4) }

func defaultInt(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// A point is a state of the world: its distance to a proof (-1 for a dead
// end) and an identity.
type point struct {
	dist int
	id   uint64
}

// Root returns the root state of problem number i.
func (w *World) Root(i int) search.State {
	return search.State{Goals: w.goals(point{dist: w.depth(), id: mix(w.Seed, 0x5eed, uint64(i))})}
}

// Tactic names the i-th tactic.
func Tactic(i int) string {
	if i >= 0 && i < len(tacticNames) {
		return tacticNames[i]
	}
	return "tac" + strconv.Itoa(i)
}

var tacticNames = func() []string {
	names := make([]string, 64)
	for i := range names {
		names[i] = "tac" + strconv.Itoa(i)
	}
	return names
}()

func (w *World) goals(p point) []string {
	if p.dist < 0 {
		return []string{"h : stuck " + hex16(p.id) + "\n⊢ False"}
	}
	n := 1
	if w.GoalsPerStep > 0 {
		n += p.dist / w.GoalsPerStep
	}
	goals := make([]string, n)
	goals[0] = "h : d = " + strconv.Itoa(p.dist) + "\n⊢ P " + hex16(p.id)
	for i := 1; i < n; i++ {
		goals[i] = "⊢ Q " + hex16(p.id) + " " + strconv.Itoa(i)
	}
	return goals
}

// hex16 is %016x without fmt (the engine benchmark calls it on every step).
func hex16(v uint64) string {
	var b [16]byte
	const digits = "0123456789abcdef"
	for i := 15; i >= 0; i-- {
		b[i] = digits[v&15]
		v >>= 4
	}
	return string(b[:])
}

// parse reads a point back from a state's first goal (by hand: it is on the
// hot path of the engine benchmarks).
func parse(s search.State) (point, bool) {
	if len(s.Goals) == 0 {
		return point{}, false
	}
	g := s.Goals[0]
	if rest, ok := strings.CutPrefix(g, "h : stuck "); ok {
		hex, _, _ := strings.Cut(rest, "\n")
		id, err := strconv.ParseUint(hex, 16, 64)
		return point{dist: -1, id: id}, err == nil
	}
	rest, ok := strings.CutPrefix(g, "h : d = ")
	if !ok {
		return point{}, false
	}
	num, rest, ok := strings.Cut(rest, "\n⊢ P ")
	if !ok {
		return point{}, false
	}
	dist, err1 := strconv.Atoi(num)
	id, err2 := strconv.ParseUint(rest, 16, 64)
	return point{dist: dist, id: id}, err1 == nil && err2 == nil
}

// Good returns the index of the tactic that brings the state one step
// closer to a proof, or -1 for a dead end or a state of another world.
func (w *World) Good(s search.State) int {
	p, ok := parse(s)
	if !ok || p.dist < 0 {
		return -1
	}
	return w.good(p)
}

func (w *World) good(p point) int { return int(mix(w.Seed, p.id, 0x900d) % uint64(w.branching())) }

// Distance returns the state's distance to a proof (-1 for a dead end).
func (w *World) Distance(s search.State) (int, bool) {
	p, ok := parse(s)
	return p.dist, ok
}

// Apply applies a tactic. It is a pure function of the world, the state's
// goals and the tactic (Trace is ignored, as a replay prover would).
func (w *World) Apply(ctx context.Context, s search.State, tactic string) (search.Step, error) {
	p, ok := parse(s)
	if !ok {
		return search.Step{}, fmt.Errorf("searchtest: apply %q: state is not of this world: %q", tactic, s.String())
	}
	if w.Latency > 0 {
		t := time.NewTimer(w.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return search.Step{}, ctx.Err()
		}
	}
	idx, ok := tacticIndex(tactic, w.branching())
	if !ok {
		return search.Step{Outcome: search.OutcomeInvalid, Message: "unknown tactic " + tactic}, nil
	}
	h := mix(w.Seed, p.id, uint64(idx)+1)
	if w.ProverFailRate > 0 && unit(mix(h, uint64(len(s.Trace)), 0xfa11)) < w.ProverFailRate {
		// Depends on the trace too, so a retry from another path can succeed.
		return search.Step{}, ErrProverCrashed
	}
	if p.dist < 0 {
		return search.Step{Outcome: search.OutcomeError, Message: "no progress on a dead end"}, nil
	}
	if idx == w.good(p) {
		if p.dist <= 1 {
			return search.Step{Outcome: search.OutcomeProved}, nil
		}
		return search.Step{Outcome: search.OutcomeGoals, State: search.State{Goals: w.goals(w.successor(p, p.dist-1, h))}}, nil
	}
	r := unit(h)
	switch {
	case r < w.ErrorRate:
		return search.Step{Outcome: search.OutcomeError, Message: "tactic failed"}, nil
	case r < w.ErrorRate+w.TimeoutRate:
		return search.Step{Outcome: search.OutcomeTimeout, Message: "deterministic timeout"}, nil
	case r < w.ErrorRate+w.TimeoutRate+w.DeadEndRate:
		return search.Step{Outcome: search.OutcomeGoals, State: search.State{Goals: w.goals(point{dist: -1, id: mix(h, 0xdead, 0)})}}, nil
	}
	return search.Step{Outcome: search.OutcomeGoals, State: search.State{Goals: w.goals(w.successor(p, p.dist+1, h))}}, nil
}

// successor draws the state at distance dist that the tactic with hash h
// reaches: from the shared pool (a transposition) or a fresh one.
func (w *World) successor(p point, dist int, h uint64) point {
	if unit(mix(h, 0x7a7a, 0)) < w.TranspositionRate {
		slot := mix(h, 0x5107, 0) % uint64(w.poolSize())
		return point{dist: dist, id: mix(w.Seed, uint64(dist)<<32|slot, 0x9001)}
	}
	return point{dist: dist, id: mix(h, 0xf7e5, 0)}
}

func tacticIndex(t string, branching int) (int, bool) {
	s, ok := strings.CutPrefix(t, "tac")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= branching {
		return 0, false
	}
	return i, true
}

// mix hashes three words (splitmix64 finalizer over a combination).
func mix(a, b, c uint64) uint64 {
	x := a*0x9e3779b97f4a7c15 ^ b*0xbf58476d1ce4e5b9 ^ c*0x94d049bb133111eb
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

var _ search.Prover = (*World)(nil)
