//go:build unix

package search_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and system), so the
// overhead benchmark can report a rate that other load on the machine does
// not distort.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
