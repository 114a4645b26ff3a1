package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"sync"
	"time"
)

// Memory is the process's resident memory during a phase, in MiB. The server
// runs in this process, so this is the server's footprint (plus the load
// generator's, which is small next to it).
type Memory struct {
	// MaxRSS is the largest VmRSS seen by sampling.
	MaxRSS float64 `json:"max_rss_mb"`
	// HWM is the kernel's peak RSS (VmHWM), reset when the phase started
	// where the kernel allows it (HWMReset), else the peak since start.
	HWM      float64 `json:"hwm_mb"`
	HWMReset bool    `json:"hwm_reset"`
}

// memSampler samples VmRSS until stopped: VmHWM alone would miss nothing but
// cannot be scoped to a phase on kernels that refuse the reset.
type memSampler struct {
	stop    chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	maxRSS  int64 // kB
	hwmFrom bool
}

func startMemSampler(every time.Duration) *memSampler {
	// Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0), so the peak covers
	// this phase only and not account setup or earlier phases.
	reset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	m := &memSampler{stop: make(chan struct{}), hwmFrom: reset}
	m.sample()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				m.sample()
			}
		}
	}()
	return m
}

func (m *memSampler) sample() {
	rss, _ := procStatus()
	m.mu.Lock()
	m.maxRSS = max(m.maxRSS, rss)
	m.mu.Unlock()
}

func (m *memSampler) Stop() Memory {
	close(m.stop)
	m.wg.Wait()
	m.sample()
	_, hwm := procStatus()
	return Memory{MaxRSS: float64(m.maxRSS) / 1024, HWM: float64(hwm) / 1024, HWMReset: m.hwmFrom}
}

// procStatus reads VmRSS and VmHWM (kB) from /proc/self/status; zeros where
// there is no procfs.
func procStatus() (rss, hwm int64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte("VmRSS:")):
			rss = kB(line)
		case bytes.HasPrefix(line, []byte("VmHWM:")):
			hwm = kB(line)
		}
	}
	return rss, hwm
}

func kB(line []byte) int64 {
	f := bytes.Fields(line)
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return n
}
