package archive

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Report texts use Markdown's simple formatting: paragraphs, headings,
// lists, quotes, bold and italic, and links. Raw HTML is never passed
// through, links may only go to web or mail addresses or paths of this
// site, and images in the text are shown as their description: photos
// belong in the materials, with credit and alt text.
var reportMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify, extension.Strikethrough),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100))),
)

// RenderReport turns a report text into safe HTML.
func RenderReport(src string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := reportMarkdown.Convert([]byte(src), &buf); err != nil {
		// Conversion only fails on write errors of the buffer; show the
		// text escaped rather than nothing.
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(buf.String()) //nolint:gosec // built by the sanitising renderer above
}

// safeLinks replaces links with disallowed targets, and all images, by
// their text. It also moves headings one level down: the page's own
// heading of the documentation is an h2, so the report's "##" is an h3.
type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var replace []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+1, 6)
		case *ast.Image:
			replace = append(replace, n)
		case *ast.Link:
			if !allowedLink(string(n.Destination)) {
				replace = append(replace, n)
			}
		case *ast.AutoLink:
			if !allowedLink(string(n.URL(reader.Source()))) {
				replace = append(replace, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range replace {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if auto, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(auto.Label(reader.Source())))
			continue
		}
		// Keep the link's or image's text in its place.
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// allowedLink accepts http(s) and mailto addresses, and paths and anchors
// of this site.
func allowedLink(dest string) bool {
	if dest == "" || strings.ContainsFunc(dest, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	if strings.HasPrefix(dest, "#") || (strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//")) {
		return true
	}
	u, err := url.Parse(dest)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

// PlainText is the report without formatting, for search and previews.
func PlainText(src string) string {
	replacer := strings.NewReplacer("**", "", "__", "", "# ", "", "#", "", "> ", "", "~~", "")
	return strings.Join(strings.Fields(replacer.Replace(src)), " ")
}
