package collate_test

import (
	"testing"

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
