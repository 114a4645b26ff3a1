// Package frontend embeds the built single-page app so the Go binary serves
// it without Node.
package frontend

import "embed"

// Dist is the Vite build output (frontend/dist), committed to the repository.
//
//go:embed all:dist
var Dist embed.FS

// Operations are the SPA's GraphQL documents (src/operations.graphql), for
// tools that must send exactly what the page sends, such as cmd/bench.
//
//go:embed src/operations.graphql
var Operations string
