// Package frontend embeds the built single-page app so the Go binary serves
// it without Node.
package frontend

import "embed"

// Dist is the Vite build output (frontend/dist), committed to the repository.
//
//go:embed all:dist
var Dist embed.FS
