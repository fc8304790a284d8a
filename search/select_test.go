package search

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestWithVirtualLoss(t *testing.T) {
	tests := []struct {
		name        string
		n, vl       int
		q, vlw      float64
		nEff, qEff  float64
		wantVisited bool
	}{
		{"unvisited", 0, 0, 0, 1, 0, 0, false},
		{"unvisited without virtual loss weight", 0, 3, 0, 0, 0, 0, false},
		{"visited, none in flight", 4, 0, 0.5, 1, 4, 0.5, true},
		{"one in flight pulls Q toward 0", 3, 1, 0.8, 1, 4, 0.6, true},
		{"weight 3 per playout", 1, 1, 1, 3, 4, 0.25, true},
		{"in flight only", 0, 2, 0.9, 1, 2, 0, true},
		{"virtual loss disabled", 2, 5, 0.7, 0, 2, 0.7, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nEff, qEff, visited := withVirtualLoss(tt.n, tt.q, tt.vl, tt.vlw)
			if !near(nEff, tt.nEff) || !near(qEff, tt.qEff) || visited != tt.wantVisited {
				t.Errorf("withVirtualLoss(%d, %v, %d, %v) = %v, %v, %v; want %v, %v, %v",
					tt.n, tt.q, tt.vl, tt.vlw, nEff, qEff, visited, tt.nEff, tt.qEff, tt.wantVisited)
			}
		})
	}
}

func TestFirstPlayValue(t *testing.T) {
	tests := []struct {
		parentQ, mass, reduction, want float64
	}{
		{0.5, 0, 0.2, 0.5},
		{0.5, 0.25, 0.2, 0.4},
		{0.5, 1, 0.2, 0.3},
		{0.5, 1, 0, 0.5},
		{0.1, 0.81, 1, -0.8},
		{0.5, -0.1, 0.2, 0.5}, // rounding below zero counts as no mass
	}
	for _, tt := range tests {
		if got := firstPlayValue(tt.parentQ, tt.mass, tt.reduction); !near(got, tt.want) {
			t.Errorf("firstPlayValue(%v, %v, %v) = %v, want %v", tt.parentQ, tt.mass, tt.reduction, got, tt.want)
		}
	}
}

func TestPuctC(t *testing.T) {
	tests := []struct {
		cPuct, cLog, cBase, w, want float64
	}{
		{1.25, 0, 19652, 1e6, 1.25},
		{1.25, 1, 19652, 0, 1.25 + math.Log(19653.0/19652)},
		{1, 1, 10, 89, 1 + math.Log(10)},
	}
	for _, tt := range tests {
		if got := puctC(tt.cPuct, tt.cLog, tt.cBase, tt.w); !near(got, tt.want) {
			t.Errorf("puctC(%v, %v, %v, %v) = %v, want %v", tt.cPuct, tt.cLog, tt.cBase, tt.w, got, tt.want)
		}
	}
}

func TestPuctScore(t *testing.T) {
	tests := []struct {
		name                    string
		qEff, prior, nEff, w, c float64
		want                    float64
	}{
		{"fresh node: prior times c times 0.1", 0, 0.5, 0, 0, 1, 0.5 * 0.1},
		{"visited", 0.5, 0.2, 3, 15.99, 2, 0.5 + 2*0.2*4/4},
		{"zero prior is pure Q", 0.7, 0, 10, 100, 5, 0.7},
		{"exploration shrinks with visits", 0, 1, 9, 99.99, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := puctScore(tt.qEff, tt.prior, tt.nEff, tt.w, tt.c); !near(got, tt.want) {
				t.Errorf("puctScore = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUCB1Score(t *testing.T) {
	tests := []struct {
		qEff, nEff, w, c, want float64
	}{
		{0.5, 4, math.E - 1, 2, 0.5 + 2*math.Sqrt(1.0/4)},
		{0, 0, math.E*math.E - 1, 1, math.Sqrt(2)}, // unvisited counts as one visit
		{0.3, 1, 0, 1, 0.3},
	}
	for _, tt := range tests {
		if got := ucb1Score(tt.qEff, tt.nEff, tt.w, tt.c); !near(got, tt.want) {
			t.Errorf("ucb1Score(%v, %v, %v, %v) = %v, want %v", tt.qEff, tt.nEff, tt.w, tt.c, got, tt.want)
		}
	}
}

func TestBestFirstPriority(t *testing.T) {
	tests := []struct {
		logp      float64
		depth     int
		normalize bool
		want      float64
	}{
		{-3, 3, false, -3},
		{-3, 3, true, -1},
		{0, 0, true, 0},
		{-2, 0, true, -2},
	}
	for _, tt := range tests {
		if got := bestFirstPriority(tt.logp, tt.depth, tt.normalize); !near(got, tt.want) {
			t.Errorf("bestFirstPriority(%v, %d, %v) = %v, want %v", tt.logp, tt.depth, tt.normalize, got, tt.want)
		}
	}
	if got := logPrior(0); math.IsInf(got, 0) || got > -20 {
		t.Errorf("logPrior(0) = %v, want a large finite negative number", got)
	}
}

// TestPick checks the choices selection makes at one node.
func TestPick(t *testing.T) {
	child := func(q float64) *node { return &node{expand: expanded, q: q} }
	tests := []struct {
		name     string
		sel      Selection
		edges    []edge
		nodeQ    float64
		want     int
		wantBusy bool
	}{
		{
			name:  "fresh node follows the prior",
			edges: []edge{{prior: 0.2}, {prior: 0.7}, {prior: 0.1}},
			want:  1,
		},
		{
			name:  "equal priors: the first wins",
			edges: []edge{{prior: 0.5}, {prior: 0.5}},
			want:  0,
		},
		{
			name:  "a visited edge with high value beats an unvisited one",
			nodeQ: 0.2,
			edges: []edge{{prior: 0.9, n: 5, status: applied, child: child(0.9)}, {prior: 0.1}},
			want:  0,
		},
		{
			name:  "first-play value lets an unvisited edge beat a bad visited one",
			nodeQ: 0.5,
			edges: []edge{{prior: 0.5, n: 5, status: applied, child: child(0.0)}, {prior: 0.5}},
			want:  1,
		},
		{
			name:  "virtual loss steers away from an edge in flight",
			nodeQ: 0.5,
			edges: []edge{{prior: 0.5, n: 1, vl: 3, status: applied, child: child(0.6)}, {prior: 0.5, n: 1, status: applied, child: child(0.5)}},
			want:  1,
		},
		{
			name:     "running edges are skipped and reported busy",
			edges:    []edge{{prior: 0.9, status: running, vl: 1}, {prior: 0.1}},
			want:     1,
			wantBusy: true,
		},
		{
			name:  "failed edges and dead children are skipped",
			edges: []edge{{prior: 0.9, status: failed}, {prior: 0.8, status: applied, n: 1, child: &node{expand: expanded, solve: dead}}, {prior: 0.1}},
			want:  2,
		},
		{
			name:     "only busy work: none, busy",
			edges:    []edge{{prior: 1, status: applied, child: &node{expand: expanding}}},
			want:     -1,
			wantBusy: true,
		},
		{
			name:  "ucb1 ignores priors",
			sel:   SelectUCB1,
			nodeQ: 0.5,
			edges: []edge{{prior: 0.9, n: 3, status: applied, child: child(0.5)}, {prior: 0.1, n: 1, status: applied, child: child(0.5)}},
			want:  1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Params{Selection: tt.sel}
			p.EnsureDefaults()
			m := &mcts{s: &searcher{p: p}, epoch: 1}
			n := &node{expand: expanded, q: tt.nodeQ, edges: tt.edges}
			got, busy := m.pick(n)
			if got != tt.want || busy != tt.wantBusy {
				t.Errorf("pick = %d, busy %v; want %d, busy %v", got, busy, tt.want, tt.wantBusy)
			}
		})
	}
}

// TestPickCutsCycles checks that an edge back onto the path is not chosen.
func TestPickCutsCycles(t *testing.T) {
	p := Params{}
	p.EnsureDefaults()
	m := &mcts{s: &searcher{p: p}, epoch: 7}
	ancestor := &node{expand: expanded, mark: 7}
	n := &node{expand: expanded, edges: []edge{{prior: 0.9, n: 2, status: applied, child: ancestor}, {prior: 0.1}}}
	if got, _ := m.pick(n); got != 1 {
		t.Errorf("pick = %d, want 1 (edge 0 leads back onto the path)", got)
	}
	n.edges[1].status = failed
	if got, busy := m.pick(n); got != -1 || busy {
		t.Errorf("pick = %d, busy %v; want -1, false", got, busy)
	}
}
