//go:build unix

package quantcore

import (
	"syscall"
	"time"
)

// processCPUTime is the user+system CPU time of this process. On a shared
// machine it is steadier than wall time, so benchmarks report it too.
func processCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
