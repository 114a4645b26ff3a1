package auth

import (
	"strings"
	"testing"
)

func TestNewKeyIsRandomAndHashed(t *testing.T) {
	a, hashA, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewKey()
	if a == b || !strings.HasPrefix(a, keyPrefix) || len(a) < len(keyPrefix)+32 {
		t.Fatalf("keys %q, %q", a, b)
	}
	if hashA != HashKey(a) || strings.Contains(hashA, a) || len(hashA) != 64 {
		t.Fatalf("hash %q of %q", hashA, a)
	}
}

// FuzzBearerKey: any Authorization header parses without panicking, and an
// accepted key is non-empty, bounded and free of surrounding space.
func FuzzBearerKey(f *testing.F) {
	for _, s := range []string{"Bearer aiu_abc", "bearer  x ", "Basic abc", "", "Bearer", "Bearer \x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		key, ok := BearerKey(header)
		if ok && (key == "" || len(key) > 200 || strings.TrimSpace(key) != key) {
			t.Fatalf("%q accepted as %q", header, key)
		}
	})
}
