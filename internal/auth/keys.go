// Package auth issues API keys and resolves them to accounts.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
)

// keyPrefix marks API keys of this service, so leaked keys are recognisable.
const keyPrefix = "aiu_"

// ErrUnauthenticated means the API key is missing, unknown or revoked.
var ErrUnauthenticated = errors.New("a valid API key is required")

// NewKey returns a random API key (192 bits) and the hash to store for it.
func NewKey() (key, hash string, err error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("generating API key: %w", err)
	}
	key = keyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return key, HashKey(key), nil
}

// Revoke revokes the API key, so it authenticates nothing any more.
func Revoke(ctx context.Context, client *ent.Client, key string) error {
	n, err := client.Account.Update().
		Where(account.APIKeyHash(HashKey(key)), account.APIKeyRevokedAtIsNil()).
		SetAPIKeyRevokedAt(time.Now()).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("revoking API key: %w", err)
	}
	if n == 0 {
		return ErrUnauthenticated
	}
	return nil
}

// HashKey is the stored form of an API key. Keys are high-entropy random
// strings, so a fast hash suffices; the lookup is by hash, never by key.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// BearerKey extracts the key from an Authorization header value.
func BearerKey(header string) (string, bool) {
	scheme, key, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	key = strings.TrimSpace(key)
	return key, key != "" && len(key) <= 200
}

// lookup returns the ID of the account whose unrevoked key has the hash.
// The database compares hashes, never keys, so no timing of the comparison
// reveals anything about a key.
func lookup(ctx context.Context, client *ent.Client, hash string) (int, error) {
	id, err := client.Account.Query().
		Where(account.APIKeyHash(hash), account.APIKeyRevokedAtIsNil()).
		OnlyID(ctx)
	if ent.IsNotFound(err) {
		return 0, ErrUnauthenticated
	}
	if err != nil {
		return 0, fmt.Errorf("looking up API key: %w", err)
	}
	return id, nil
}
