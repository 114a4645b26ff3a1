package events

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Subscriptions closing while the hub detaches them all neither deadlock
// nor get released twice: each is either detached (counted by detachAll)
// or closed (its onClose runs), never both.
func TestDetachAllRacingCloses(t *testing.T) {
	for range 50 {
		h := NewHub(WithMaxPerAccount(0))
		var closed atomic.Int64
		subs := make([]*Subscription, 40)
		for i := range subs {
			s, err := h.Subscribe(i % 4)
			if err != nil {
				t.Fatal(err)
			}
			s.onClose = func() { closed.Add(1) }
			subs[i] = s
		}
		var wg sync.WaitGroup
		for _, s := range subs {
			wg.Add(1)
			go func() { defer wg.Done(); s.Close() }()
		}
		detached := 0
		done := make(chan struct{})
		go func() {
			for _, n := range h.detachAll() {
				detached += n
			}
			wg.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("deadlock between detachAll and Close")
		}
		if got := int64(detached) + closed.Load(); got != int64(len(subs)) {
			t.Fatalf("%d detached + %d closed, want %d released once each", detached, closed.Load(), len(subs))
		}
	}
}
