package policy_test

import (
	"testing"

	"github.com/leanprove/leanprove/internal/testenv"
)

// sharedTraces returns the directory of the shared Mathlib traces, or skips
// the test when this checkout has none (a fresh clone).
func sharedTraces(t testing.TB) string { return testenv.SharedTraces(t) }
