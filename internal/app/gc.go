package app

import (
	"os"
	"runtime/debug"
)

// Garbage collector settings of the service (see TuneGC).
const (
	gcPercent   = 400
	memoryLimit = 128 << 20
)

// TuneGC trades memory the service does not need for CPU it does: its live
// heap is a few tens of MB, so the collector runs a quarter as often as by
// default (GOGC=400), under a soft limit (GOMEMLIMIT=128MiB) that makes it
// collect harder before the heap grows past it. GOGC and GOMEMLIMIT in the
// environment take precedence.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
