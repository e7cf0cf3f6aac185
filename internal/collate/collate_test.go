package collate_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/isa-nrw/treffen/internal/collate"
)

func TestKeyAndTranscribed(t *testing.T) {
	for _, c := range []struct{ in, key, transcribed string }{
		{"Münster", "munster", "munster"},
		{"Muenster", "muenster", "munster"},
		{"MUENSTER", "muenster", "munster"},
		{"Straße", "strasse", "strasse"},
		{"Strasse", "strasse", "strasse"},
		{"Koeln", "koeln", "koln"},
		{"Gräfrath", "grafrath", "grafrath"},
		{"Quelle", "quelle", "qulle"},
	} {
		if got := collate.Key(c.in); got != c.key {
			t.Errorf("Key(%q) = %q, want %q", c.in, got, c.key)
		}
		if got := collate.Transcribed(c.in); got != c.transcribed {
			t.Errorf("Transcribed(%q) = %q, want %q", c.in, got, c.transcribed)
		}
	}
}

// wholeStringKey is Key as first written: the whole string lowered,
// decomposed, and stripped of combining marks. Key must fold alike.
func wholeStringKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if sub, ok := map[rune]string{'ß': "ss", 'ı': "i", 'ł': "l", 'đ': "d", 'ø': "o", 'æ': "ae", 'œ': "oe", 'þ': "th"}[r]; ok {
			b.WriteString(sub)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestKeyFoldsLikeTheWholeString(t *testing.T) {
	for _, s := range []string{
		"Münster", "  Düsseldorf  ", "STRASSE Straße", "Çağla Yıldız", "İstanbul", "Łódź", "Ærø", "Œuvre", "Þór",
		"Mu\u0308nster", "e\u0301\u0323", "\u0301 alleinstehend", "Ǆemal", "ΣΊΣΥΦΟΣ", "Åsa Ørsted", "Quartiersküche in Ahlen!", "",
		"日本語 テキスト", "ﬁ Ligatur", "Ⅻ", "Ḁ ẞ",
	} {
		if got, want := collate.Key(s), wholeStringKey(s); got != want {
			t.Errorf("Key(%q) = %q, folding the whole string gives %q", s, got, want)
		}
	}
}

func FuzzKeyFoldsLikeTheWholeString(f *testing.F) {
	for _, s := range []string{"Münster", "Mu\u0308nster", "Straße", "e\u0301\u0323x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		if got, want := collate.Key(s), wholeStringKey(s); got != want {
			t.Errorf("Key(%q) = %q, folding the whole string gives %q", s, got, want)
		}
	})
}

func BenchmarkKey(b *testing.B) {
	text := strings.Repeat("Die Präventionskette verbindet Jugendhilfe, Schule und Gesundheit in der Kommune. ", 100)
	b.Run("per-rune", func(b *testing.B) {
		for b.Loop() {
			collate.Key(text)
		}
	})
	b.Run("whole-string", func(b *testing.B) {
		for b.Loop() {
			wholeStringKey(text)
		}
	})
}
