package search

import "errors"

var (
	// ErrBadParams wraps every error Params.Validate reports.
	ErrBadParams = errors.New("search: bad params")
	// ErrNoGoals is returned for a root state with no goals: there is
	// nothing to search for, and the caller most likely failed to read them.
	ErrNoGoals = errors.New("search: the root state has no goals")
	// ErrPolicy wraps a policy failure at the root, where the search cannot
	// go on without candidates.
	ErrPolicy = errors.New("search: policy failed at the root")
)
