package graph

import "github.com/vistasocial/aiusage/internal/credits"

// DefaultPageSize applies when a connection is asked for neither first nor last.
const DefaultPageSize = 20

// checkPage enforces the 1–100 bound on connection sizes.
func checkPage(first, last *int) error {
	if first != nil {
		if err := credits.ValidatePageSize("first", *first); err != nil {
			return err
		}
	}
	if last != nil {
		return credits.ValidatePageSize("last", *last)
	}
	return nil
}

// defaultPage keeps unbounded connections bounded.
func defaultPage(first, last *int) *int {
	if first == nil && last == nil {
		n := DefaultPageSize
		return &n
	}
	return first
}

func ptr[T any](v T) *T { return &v }
