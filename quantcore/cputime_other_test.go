//go:build !unix

package quantcore

import "time"

func processCPUTime() (time.Duration, bool) { return 0, false }
