// Package document renders the PDFs of a meeting: the participant list
// now; the programme, badges, signature lists and certificates later.
//
// Every document is A4 portrait and set in Liberation Sans (SIL Open Font
// License, shipped with the module github.com/go-fonts/liberation): a
// document typeface with a short hyphen, en and em dashes, German quotes
// and the capital sharp s, covering Latin (including Polish, Turkish and
// Vietnamese letters), Greek and Cyrillic. Text is cleaned before it is
// measured or written, so user input with characters outside the fonts
// degrades to a close letter or "?" instead of breaking the layout.
package document

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansitalic"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// fontFamily is the name the fonts are registered under in each PDF. It
// is in lower case as fpdf keeps it: SetFont, called for nearly every
// cell, then need not lower it again.
const fontFamily = "liberationsans"

// Page geometry in millimetres.
const (
	pageW    = 210.0
	pageH    = 297.0
	marginX  = 18.0
	marginT  = 15.0
	contentW = pageW - 2*marginX
)

// rgb is a colour of the house style.
type rgb struct{ r, g, b int }

// The house style: dark text, a muted blue accent, light tints for fills.
var (
	colText   = rgb{33, 37, 41}
	colMuted  = rgb{95, 102, 110}
	colAccent = rgb{31, 78, 121}
	colTint   = rgb{226, 234, 243}
	colShade  = rgb{244, 246, 249}
	colRule   = rgb{200, 206, 212}
	colSample = rgb{176, 32, 32} // the marks of a preview
)

// newPDF starts an A4 portrait document with the fonts registered and
// the metadata set. Page breaks are left to the caller, which plans them.
func newPDF(title string, generatedAt time.Time) *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(marginX, marginT, marginX)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(1.5)
	// Each document parses its own copy of the font tables: fpdf keeps
	// per-document state in them (used glyphs for subsetting).
	f.AddUTF8FontFromBytes(fontFamily, "", liberationsansregular.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "B", liberationsansbold.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "I", liberationsansitalic.TTF)
	f.SetTitle(title, true)
	f.SetCreator("treffen", true)
	f.SetLang("de-DE")
	// Fixed dates and catalogue order make the output reproducible.
	f.SetCreationDate(generatedAt)
	f.SetModificationDate(generatedAt)
	f.SetCatalogSort(true)
	return f
}

func setFont(f *fpdf.Fpdf, style string, size float64, c rgb) {
	f.SetFont(fontFamily, style, size)
	f.SetTextColor(c.r, c.g, c.b)
}

// glyphs cleans text for the fonts. It is not safe for concurrent use;
// each rendering makes its own.
type glyphs struct {
	fonts []*sfnt.Font
	buf   sfnt.Buffer
	known map[rune]bool
}

func newGlyphs() (*glyphs, error) {
	g := &glyphs{known: make(map[rune]bool)}
	for _, ttf := range [][]byte{liberationsansregular.TTF, liberationsansbold.TTF, liberationsansitalic.TTF} {
		fnt, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("parse font: %w", err)
		}
		g.fonts = append(g.fonts, fnt)
	}
	return g, nil
}

// has reports whether every font has a glyph for r.
func (g *glyphs) has(r rune) bool {
	if ok, seen := g.known[r]; seen {
		return ok
	}
	ok := true
	for _, fnt := range g.fonts {
		if i, err := fnt.GlyphIndex(&g.buf, r); err != nil || i == 0 {
			ok = false
			break
		}
	}
	g.known[r] = ok
	return ok
}

// clean prepares user text for writing: composed form (NFC), whitespace
// collapsed to single spaces, invisible characters dropped, and
// characters the fonts lack replaced. fpdf indexes a 16-bit width table
// by rune, so a rune outside the fonts must never reach it.
func (g *glyphs) clean(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch {
		case g.has(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Pd, r):
			b.WriteByte('-')
		default:
			b.WriteString(g.approximate(r))
		}
	}
	return b.String()
}

// approximate returns the base letters of r ("ệ" → "e") or "?".
func (g *glyphs) approximate(r rune) string {
	var b strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) && d != r && g.has(d) {
			b.WriteRune(d)
		}
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}

// wrap splits text into lines that fit width w in the current font,
// returning at least one line and at most max; a cut text ends in "…".
// Lines break between words; a word wider than a line, such as an e-mail
// address, breaks after ".", "-", "/" or "_" or before "@", and only
// failing that between letters. Text must be cleaned first.
func wrap(f *fpdf.Fpdf, text string, w float64, max int) []string {
	avail := w - 2*f.GetCellMargin()
	space := f.GetStringWidth(" ")
	var lines []string
	var line strings.Builder
	lineW := 0.0
	for _, word := range strings.Fields(text) {
		for i, piece := range breakWord(f, word, avail) {
			pw := f.GetStringWidth(piece)
			sep := 0.0
			if i == 0 && line.Len() > 0 {
				sep = space
			}
			if line.Len() > 0 && lineW+sep+pw > avail {
				lines = append(lines, line.String())
				line.Reset()
				lineW, sep = 0, 0
			}
			if sep > 0 {
				line.WriteByte(' ')
			}
			line.WriteString(piece)
			lineW += sep + pw
		}
	}
	if line.Len() > 0 || len(lines) == 0 {
		lines = append(lines, line.String())
	}
	if len(lines) > max {
		lines = lines[:max]
		lines[max-1] += "…"
	}
	return lines
}

// breakWord returns word whole when it fits avail, else in pieces that do.
func breakWord(f *fpdf.Fpdf, word string, avail float64) []string {
	if f.GetStringWidth(word) <= avail {
		return []string{word}
	}
	var pieces []string
	start := 0
	for i, r := range word {
		switch r {
		case '@':
			if i > start {
				pieces = append(pieces, word[start:i])
				start = i
			}
		case '.', '-', '/', '_':
			pieces = append(pieces, word[start:i+1])
			start = i + 1
		}
	}
	if start < len(word) {
		pieces = append(pieces, word[start:])
	}
	var out []string
	for _, p := range pieces {
		if f.GetStringWidth(p) <= avail {
			out = append(out, p)
			continue
		}
		// No break point helps: cut between letters.
		cut, width := 0, 0.0
		for i, r := range p {
			rw := f.GetStringWidth(string(r))
			if i > cut && width+rw > avail {
				out = append(out, p[cut:i])
				cut, width = i, 0
			}
			width += rw
		}
		out = append(out, p[cut:])
	}
	return out
}
