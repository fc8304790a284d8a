package policy

import "errors"

var (
	// ErrModelFormat marks a model file that is not a learned-policy model of
	// a version this package reads.
	ErrModelFormat = errors.New("not a learned-policy model file of a supported version")
	// ErrBadSpec marks a policy specification that cannot be parsed.
	ErrBadSpec = errors.New("bad policy spec")
	// ErrLLM marks a failure of the LLM endpoint after retries.
	ErrLLM = errors.New("LLM request failed")
	// ErrNoCandidates marks an LLM answer from which no tactic could be parsed.
	ErrNoCandidates = errors.New("no usable tactic in the answer")
)
