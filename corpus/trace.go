package corpus

import "strings"

// Premise is a lemma or definition a tactic refers to, with where it is
// defined when the trace says.
type Premise struct {
	FullName string `json:"full_name"`
	DefPath  string `json:"def_path,omitempty"`
}

// Step is one recorded proof step.
type Step struct {
	Tactic      string    `json:"tactic"`
	StateBefore string    `json:"state_before"`
	StateAfter  string    `json:"state_after"`
	Premises    []Premise `json:"premises,omitempty"`
}

// Proved reports whether the step closed the last goal.
func (s Step) Proved() bool { return strings.TrimSpace(s.StateAfter) == NoGoals }

// Theorem is one declaration and the steps of its recorded proof, in order.
// The first step's StateBefore is the theorem's statement as a proof state.
type Theorem struct {
	FullName string `json:"full_name"`
	FilePath string `json:"file_path,omitempty"`
	Commit   string `json:"commit,omitempty"`
	URL      string `json:"url,omitempty"`
	// Statement is the declaration's source text up to its proof, when known
	// (static extraction fills it; LeanDojo records do not carry it).
	Statement string `json:"statement,omitempty"`
	Start     [2]int `json:"start,omitempty"`
	End       [2]int `json:"end,omitempty"`
	Steps     []Step `json:"steps"`
}

// Key identifies a theorem across files: its file and full name.
func (t Theorem) Key() string {
	if t.FilePath == "" {
		return t.FullName
	}
	return t.FilePath + ":" + t.FullName
}

// identity says which theorem t is across trace files: its full name, which
// Lean keeps unique within a project whichever file the theorem moves to,
// except for an example, whose made-up name (see declName) is unique only
// within its file. A private theorem's name is unique only within its file
// too, and records do not say which are private: LoadFiles compares only
// across files, never within one.
func (t Theorem) identity() string {
	if strings.Contains(t.FullName, exampleMark) {
		return t.Key()
	}
	return t.FullName
}

// NoGoals is how Lean and the traces print a state with nothing left to prove.
const NoGoals = "no goals"

// CountSteps returns the number of steps across theorems.
func CountSteps(ths []Theorem) int {
	n := 0
	for _, t := range ths {
		n += len(t.Steps)
	}
	return n
}

// NormalizeTactic collapses every run of whitespace to one space and trims
// the ends: the form in which tactics are compared and counted.
func NormalizeTactic(tactic string) string {
	return strings.Join(strings.Fields(tactic), " ")
}
