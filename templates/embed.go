// Package templates embeds the HTML pages and mail bodies, so the binary
// carries everything it renders.
package templates

import "embed"

// FS holds pages/*.html and mail/*.tmpl.
//
//go:embed pages mail
var FS embed.FS
