// Package scalar holds the API's custom scalar marshalling.
package scalar

import (
	"io"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vistasocial/aiusage/internal/credits"
)

// MarshalIntID writes an entity ID (ent's global integer IDs).
func MarshalIntID(id int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { graphql.MarshalIntID(id).MarshalGQL(w) })
}

// UnmarshalIntID reads an entity ID; a malformed one is the caller's
// mistake (INVALID_ARGUMENT), not a server failure.
func UnmarshalIntID(v any) (int, error) {
	id, err := graphql.UnmarshalIntID(v)
	if err != nil || id < 1 {
		return 0, &credits.InvalidArgumentError{Field: "id", Reason: "malformed ID"}
	}
	return id, nil
}
