package scalar

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"entgo.io/contrib/entgql"

	"github.com/vistasocial/aiusage/internal/credits"
)

// FuzzUnmarshalIntID: any client-sent ID either decodes to a positive ID
// that round-trips, or is rejected as INVALID_ARGUMENT; never a panic.
func FuzzUnmarshalIntID(f *testing.F) {
	for _, s := range []string{"1", "4294967297", "0", "-1", "abc", "", "1.5", "99999999999999999999", " 7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := UnmarshalIntID(s)
		if err != nil {
			var invalid *credits.InvalidArgumentError
			if !errors.As(err, &invalid) {
				t.Fatalf("%q: error %v is not INVALID_ARGUMENT", s, err)
			}
			return
		}
		if id < 1 {
			t.Fatalf("%q decoded to %d", s, id)
		}
		var b bytes.Buffer
		MarshalIntID(id).MarshalGQL(&b)
		if back, err := UnmarshalIntID(string(bytes.Trim(b.Bytes(), `"`))); err != nil || back != id {
			t.Fatalf("%q → %d → %s → %d, %v", s, id, b.String(), back, err)
		}
	})
}

// FuzzCursor: connection cursors from clients decode or fail cleanly as
// INVALID_ARGUMENT, never a panic.
func FuzzCursor(f *testing.F) {
	var valid bytes.Buffer
	entgql.Cursor[int]{ID: 42, Value: "2026-05-01T00:00:00Z"}.MarshalGQL(&valid)
	f.Add(string(bytes.Trim(valid.Bytes(), `"`)))
	f.Add("")
	f.Add("gqFp")
	f.Add(strconv.Itoa(12345))
	f.Fuzz(func(t *testing.T, s string) {
		c, err := UnmarshalCursor(s)
		if err != nil {
			var invalid *credits.InvalidArgumentError
			if !errors.As(err, &invalid) {
				t.Fatalf("%q: error %v is not INVALID_ARGUMENT", s, err)
			}
			return
		}
		var b bytes.Buffer
		MarshalCursor(c).MarshalGQL(&b) // a decoded cursor always re-encodes
	})
}
