package corpus

import (
	"strings"

	"github.com/leanprove/leanprove/search"
)

// ParseState turns a trace's pretty-printed state into a search.State: goals
// are separated by blank lines, and "no goals" (or empty text) is the state
// with none left.
func ParseState(text string) search.State {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" || text == NoGoals {
		return search.State{}
	}
	var goals []string
	for _, g := range strings.Split(text, "\n\n") {
		if g = strings.TrimSpace(g); g != "" {
			goals = append(goals, g)
		}
	}
	return search.State{Goals: goals}
}

// StateKey is the replay key of a state: each goal with every run of
// whitespace collapsed to one space (so line wrapping and indentation do not
// matter), goals kept in order and joined by a newline. Names and hypothesis
// order are left alone: two states that differ in them are different states.
func StateKey(s search.State) string {
	var b strings.Builder
	for i, g := range s.Goals {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(normalizeGoal(g))
	}
	return b.String()
}

// TextKey is StateKey of ParseState(text).
func TextKey(text string) string { return StateKey(ParseState(text)) }

func normalizeGoal(g string) string { return strings.Join(strings.Fields(g), " ") }
