package search

import "errors"

var (
	// ErrBadParams wraps every error Params.Validate reports.
	ErrBadParams = errors.New("search: bad params")
	// ErrPolicy wraps a policy failure at the root, where the search cannot
	// go on without candidates.
	ErrPolicy = errors.New("search: policy failed at the root")
)
