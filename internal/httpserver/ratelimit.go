package httpserver

import (
	"sync"

	"golang.org/x/time/rate"
)

// rateLimiter keeps one token bucket per account, so one key cannot starve
// the others.
type rateLimiter struct {
	limit rate.Limit
	burst int

	mu       sync.Mutex
	accounts map[int]*rate.Limiter
}

// maxTrackedAccounts bounds the limiter's memory; past it, buckets restart.
const maxTrackedAccounts = 100_000

func newRateLimiter(perSecond float64, burst int) *rateLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &rateLimiter{limit: rate.Limit(perSecond), burst: burst, accounts: map[int]*rate.Limiter{}}
}

// allow takes one token from the account's bucket.
func (l *rateLimiter) allow(accountID int) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	lim, ok := l.accounts[accountID]
	if !ok {
		if len(l.accounts) >= maxTrackedAccounts {
			l.accounts = map[int]*rate.Limiter{}
		}
		lim = rate.NewLimiter(l.limit, l.burst)
		l.accounts[accountID] = lim
	}
	l.mu.Unlock()
	return lim.Allow()
}
