// Package templates embeds the HTML pages and mail bodies, so the binary
// carries everything it renders.
package templates

import "embed"

// FS holds pages/*.html, mail/*.tmpl and static/ (CSS, images).
//
//go:embed pages mail static
var FS embed.FS
