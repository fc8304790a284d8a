package search

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// A Tree is a snapshot of the search graph, for inspection: every node with
// its goals, statistics and edges. It holds no timings, so equal searches
// give byte-equal exports.
type Tree struct {
	Root  int        `json:"root"`
	Nodes []TreeNode `json:"nodes"`
}

// A TreeNode is one proof state.
type TreeNode struct {
	ID     int      `json:"id"`
	Key    string   `json:"key"`
	Goals  []string `json:"goals"`
	Trace  []string `json:"trace"` // the first path that reached it
	Status string   `json:"status"`
	Expand string   `json:"expand"`
	Visits int      `json:"visits"`
	Q      float64  `json:"q"`
	U      float64  `json:"u"`
	// Widened counts the node's re-expansions after its candidates all
	// failed (Params.Widenings).
	Widened int        `json:"widened,omitempty"`
	Edges   []TreeEdge `json:"edges,omitempty"`
}

// A TreeEdge is one candidate tactic. Child is -1 until it is applied.
type TreeEdge struct {
	Tactic  string  `json:"tactic"`
	Prior   float64 `json:"prior"`
	Visits  int     `json:"visits"`
	Status  string  `json:"status"`
	Child   int     `json:"child"`
	Proof   bool    `json:"proof,omitempty"` // the edge the node's proof takes
	Message string  `json:"message,omitempty"`
}

var expandNames = [...]string{"unexpanded", "expanding", "expanded"}

// Tree returns a snapshot of the graph the search built. It is safe to call
// once Run has returned (the graph no longer changes).
func (r *Result) Tree() *Tree {
	t := &Tree{Nodes: make([]TreeNode, len(r.nodes))}
	if r.root != nil {
		t.Root = r.root.id
	}
	for i, n := range r.nodes {
		tn := TreeNode{
			ID: n.id, Key: n.key.String(), Goals: n.state.Goals, Trace: n.state.Trace,
			Status: n.solve.String(), Expand: expandNames[n.expand], Widened: n.widened,
			Visits: n.visits(), Q: n.q, U: n.u,
		}
		for ei := range n.edges {
			e := &n.edges[ei]
			te := TreeEdge{Tactic: e.tactic, Prior: e.prior, Visits: e.n, Status: e.status.String(), Child: -1, Message: e.msg}
			if e.child != nil {
				te.Child = e.child.id
			}
			te.Proof = n.solve == proved && n.proofEdge == ei
			tn.Edges = append(tn.Edges, te)
		}
		t.Nodes[i] = tn
	}
	return t
}

// WriteJSON writes the tree as one indented JSON document.
func (t *Tree) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return fmt.Errorf("write search tree as JSON: %w", err)
	}
	return nil
}

// WriteDOT writes the tree as a Graphviz digraph: one box per state
// (green when proved, grey when dead), one arrow per applied edge labelled
// with its tactic, prior and visits (bold on the proof), and failed or
// closing edges as small leaf points.
func (t *Tree) WriteDOT(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph search {")
	fmt.Fprintln(bw, `  node [shape=box, fontname="monospace", fontsize=10];`)
	fmt.Fprintln(bw, `  edge [fontname="monospace", fontsize=9];`)
	for _, n := range t.Nodes {
		color := "white"
		switch n.Status {
		case "proved":
			color = "palegreen"
		case "dead":
			color = "lightgrey"
		}
		label := fmt.Sprintf("#%d N=%d Q=%.3f\n%s", n.ID, n.Visits, n.Q, truncate(strings.Join(n.Goals, "\n\n"), 300))
		fmt.Fprintf(bw, "  n%d [label=%s, style=filled, fillcolor=%s];\n", n.ID, dotQuote(label), color)
		for ei, e := range n.Edges {
			label := fmt.Sprintf("%s\nP=%.3f N=%d", truncate(e.Tactic, 60), e.Prior, e.Visits)
			style := ""
			if e.Proof {
				style = ", style=bold, color=darkgreen"
			}
			switch {
			case e.Child >= 0:
				fmt.Fprintf(bw, "  n%d -> n%d [label=%s%s];\n", n.ID, e.Child, dotQuote(label), style)
			case e.Status == "closed" || e.Status == "failed":
				leaf := fmt.Sprintf("n%de%d", n.ID, ei)
				shape := "point"
				if e.Status == "closed" {
					shape = "doublecircle, label=\"∎\", width=0.2"
				}
				fmt.Fprintf(bw, "  %s [shape=%s];\n", leaf, shape)
				if e.Status == "failed" {
					label += "\n" + truncate(e.Message, 60)
					style += ", color=red, fontcolor=red"
				}
				fmt.Fprintf(bw, "  n%d -> %s [label=%s%s];\n", n.ID, leaf, dotQuote(label), style)
			}
		}
	}
	fmt.Fprintln(bw, "}")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write search tree as DOT: %w", err)
	}
	return nil
}

// dotQuote quotes s as a DOT string; newlines become left-justified breaks.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\l`)
	return `"` + r.Replace(s) + `\l"`
}
