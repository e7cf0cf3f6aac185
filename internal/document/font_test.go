package document

import (
	"testing"
	"time"
)

// TestFontDashes measures what the Go fonts got wrong: a hyphen as wide
// as a dash, so that "E-Mail" printed like "E–Mail".
func TestFontDashes(t *testing.T) {
	f := newPDF("Striche", time.Date(2017, 9, 13, 6, 30, 0, 0, time.UTC))
	for _, style := range []string{"", "B", "I"} {
		setFont(f, style, 10, colText)
		hyphen, en, em := f.GetStringWidth("-"), f.GetStringWidth("–"), f.GetStringWidth("—")
		if hyphen > 0.7*en || en >= em {
			t.Errorf("style %q: hyphen %.2f mm, en dash %.2f mm, em dash %.2f mm; want the hyphen well short of the en dash, the en dash short of the em dash",
				style, hyphen, en, em)
		}
	}
}

// TestFontCoversGerman checks that German text keeps every letter and
// mark, the capital sharp s included, in all three styles.
func TestFontCoversGerman(t *testing.T) {
	g, err := newGlyphs()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "äöüßÄÖÜẞ„“‚‘»«–—€…·§" {
		if !g.has(r) {
			t.Errorf("no glyph for %q (%U) in every style", r, r)
		}
	}
	for _, s := range []string{"GROẞSTADT", "„Kita – Grundschule“", "E-Mail: 12,50 €", "Trần Nguyễn, Şükrü Öztürk, Łucja Wójcik"} {
		if got := g.clean(s); got != s {
			t.Errorf("clean(%q) = %q, want it unchanged", s, got)
		}
	}
}
