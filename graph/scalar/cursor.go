package scalar

import (
	"fmt"
	"io"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/vistasocial/aiusage/internal/credits"
)

// MarshalCursor writes a connection cursor.
func MarshalCursor(c entgql.Cursor[int]) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { c.MarshalGQL(w) })
}

// UnmarshalCursor reads a connection cursor sent by a client. Decoding
// crafted cursors can panic inside the msgpack decoder (found by
// FuzzCursor), so it is contained and reported as INVALID_ARGUMENT.
func UnmarshalCursor(v any) (c entgql.Cursor[int], err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = entgql.Cursor[int]{}, malformedCursor(fmt.Sprint(r))
		}
	}()
	if err := c.UnmarshalGQL(v); err != nil {
		return entgql.Cursor[int]{}, malformedCursor(err.Error())
	}
	return c, nil
}

func malformedCursor(string) error {
	return &credits.InvalidArgumentError{Field: "cursor", Reason: "malformed cursor"}
}
