package policy

import (
	"strings"

	"github.com/leanprove/leanprove/search"
)

// DefaultSystemPrompt is the system message of the LLM policy. It asks for
// exactly one tactic, because each sample is parsed as one candidate.
const DefaultSystemPrompt = `You are an expert Lean 4 and Mathlib prover. Given a Lean 4 tactic state, reply with exactly one tactic that makes progress on the first goal. Reply with the tactic only, on one line, with no explanation and no code fence. Never use sorry or admit.`

// buildPrompt renders the user message: the tactics already applied, one
// per line, when there are any (context for the model; the state alone
// determines what is provable), then the state as Lean prints it, goals
// separated by a blank line. For the state of `theorem (n : ℕ) : n + 0 = n`
// after `intro n`:
//
//	Tactics so far:
//	intro n
//	Tactic state:
//	n : ℕ
//	⊢ n + 0 = n
//	Next tactic:
//
// At the root the first two lines are absent. The request is the system
// message (DefaultSystemPrompt or LLMConfig.SystemPrompt) and this user
// message, with n, temperature, max_tokens and logprobs from LLMConfig.
func buildPrompt(s search.State) string {
	var b strings.Builder
	if len(s.Trace) > 0 {
		b.WriteString("Tactics so far:\n")
		for _, t := range s.Trace {
			b.WriteString(t)
			b.WriteByte('\n')
		}
	}
	b.WriteString("Tactic state:\n")
	b.WriteString(s.String())
	b.WriteString("\nNext tactic:")
	return b.String()
}

// parseTactic extracts one tactic from a model's answer, after any leading
// <think> block. Chat models often write a sentence before a code block
// ("Here is the next tactic:"), so when the answer has a fenced block, the
// tactic is the first non-empty line inside it; otherwise it is the first
// non-empty line. A leading
// "Tactic:" label, enclosing backticks and a trailing -- comment are
// removed. It returns "" when nothing usable remains, and whether a line
// break followed the tactic's line (when the answer was cut at max_tokens,
// a tactic on its last line may be cut too).
func parseTactic(answer string) (tactic string, lineEnded bool) {
	// Reasoning models served without a reasoning parser think aloud in a
	// <think> block first; the answer is what follows it, and there is
	// none while the block is still open (cut at max_tokens).
	if strings.HasPrefix(strings.TrimSpace(answer), "<think>") {
		_, after, closed := strings.Cut(answer, "</think>")
		if !closed {
			return "", false
		}
		answer = after
	}
	lines := strings.Split(strings.ReplaceAll(answer, "\r\n", "\n"), "\n")
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			lines = lines[i+1:] // inside the first fence
			break
		}
	}
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "```") {
			continue
		}
		for _, label := range []string{"Tactic:", "tactic:", "Next tactic:"} {
			line = strings.TrimSpace(strings.TrimPrefix(line, label))
		}
		if before, _, ok := strings.Cut(line, "--"); ok && !strings.Contains(before, `"`) {
			line = before // a comment, unless it may be inside a string
		}
		line = strings.TrimSpace(strings.Trim(strings.TrimSpace(line), "`"))
		if line != "" {
			return line, i < len(lines)-1
		}
	}
	return "", false
}
