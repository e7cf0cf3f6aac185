// Package collate orders names the way German lists expect (DIN 5007-1),
// independent of the database's collation.
package collate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldSpecial maps letters that have no Unicode decomposition to the
// letters they are alphabetised as.
var foldSpecial = map[rune]string{
	'ß': "ss", 'ı': "i", 'ł': "l", 'đ': "d", 'ø': "o",
	'æ': "ae", 'œ': "oe", 'þ': "th",
}

// Key folds s for German-style alphabetical order (DIN 5007-1):
// case is ignored, umlauts and other accented letters sort as their base
// letter (ä → a, ś → s) and ß as ss.
func Key(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	var decomposed [32]byte
	for i := 0; i < len(s); {
		// Most text is ASCII: lower it byte by byte, without decomposing.
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		r = unicode.ToLower(r)
		if sub, ok := foldSpecial[r]; ok {
			b.WriteString(sub)
			continue
		}
		// Dropping every combining mark makes the order of marks, which
		// decomposing a whole string would settle, irrelevant.
		for _, d := range string(norm.NFD.AppendString(decomposed[:0], string(r))) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(d)
			}
		}
	}
	return b.String()
}

// transcriptions are the spellings of umlauts without them, as typed on
// keyboards and in addresses that lack them ("Muenster", "Koeln").
var transcriptions = strings.NewReplacer("ae", "a", "oe", "o", "ue", "u")

// Transcribed is Key with ae, oe and ue read as the umlauts they spell:
// "Muenster" and "Münster" are both "munster" ("Strasse" and "Straße"
// are alike in Key already). It serves searching, not ordering, and
// also folds words that merely contain the letters ("Quelle" is
// "qulle"), so a search compares it besides Key, not instead.
func Transcribed(s string) string {
	return transcriptions.Replace(Key(s))
}
