package auth

import (
	"context"
	"sync"
	"time"

	"github.com/vistasocial/aiusage/ent"
)

// Authenticator resolves API keys, remembering successful lookups for a
// short time so the hot path does not query the database on every request.
// A revoked key keeps working at most ttl after its revocation.
type Authenticator struct {
	client *ent.Client
	ttl    time.Duration

	mu      sync.Mutex
	entries map[string]cached // by key hash
}

type cached struct {
	accountID int
	expires   time.Time
}

// maxCachedKeys bounds the cache; past it, entries are dropped wholesale.
const maxCachedKeys = 100_000

// NewAuthenticator caches lookups for ttl; 0 disables the cache.
func NewAuthenticator(client *ent.Client, ttl time.Duration) *Authenticator {
	return &Authenticator{client: client, ttl: ttl, entries: map[string]cached{}}
}

// Authenticate returns the ID of the account that owns key.
func (a *Authenticator) Authenticate(ctx context.Context, key string) (int, error) {
	hash := HashKey(key)
	now := time.Now()
	if a.ttl > 0 {
		a.mu.Lock()
		e, ok := a.entries[hash]
		a.mu.Unlock()
		if ok && now.Before(e.expires) {
			return e.accountID, nil
		}
	}
	id, err := lookup(ctx, a.client, hash)
	if err != nil || a.ttl <= 0 {
		return id, err
	}
	a.mu.Lock()
	if len(a.entries) >= maxCachedKeys {
		a.entries = map[string]cached{}
	}
	a.entries[hash] = cached{accountID: id, expires: now.Add(a.ttl)}
	a.mu.Unlock()
	return id, nil
}
