package theorems

import "errors"

// Sentinel errors; every error this package returns wraps one of these and
// names the file (and line) at fault.
var (
	// ErrConfig: the generator configuration is malformed or describes a
	// model the Lean library is not written for.
	ErrConfig = errors.New("bad theorem configuration")
	// ErrLean: a Lean file fails a static check (see Check).
	ErrLean = errors.New("lean check failed")
	// ErrStale: the committed generated files differ from what Generate writes.
	ErrStale = errors.New("generated files out of date")
)
