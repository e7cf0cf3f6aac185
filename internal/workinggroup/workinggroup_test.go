package workinggroup_test

import (
	"testing"

	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// Titles are often typed with the municipality in front; the heading
// names it once.
func TestInputHeadingNamesTheMunicipalityOnce(t *testing.T) {
	cases := []struct {
		title, speaker, municipality, heading, line string
	}{
		{"Steuerungsstruktur", "Frau Özdemir", "Stadt Ahlen", "Stadt Ahlen – Steuerungsstruktur", "Stadt Ahlen – Steuerungsstruktur (Frau Özdemir)"},
		{"Stadt Ahlen – Steuerungsstruktur", "", "Stadt Ahlen", "Stadt Ahlen – Steuerungsstruktur", "Stadt Ahlen – Steuerungsstruktur"},
		{"stadt ahlen: Steuerungsstruktur", "", "Stadt Ahlen", "stadt ahlen: Steuerungsstruktur", "stadt ahlen: Steuerungsstruktur"},
		{"Ahlen – Lotsenmodell", "", "Stadt Ahlen", "Ahlen – Lotsenmodell", "Ahlen – Lotsenmodell"},
		{"Muenster – Lotsensystem", "", "Stadt Münster", "Muenster – Lotsensystem", "Muenster – Lotsensystem"},
		{"Ahlener Modell", "", "Stadt Ahlen", "Stadt Ahlen – Ahlener Modell", "Stadt Ahlen – Ahlener Modell"},
		{"Kreis Coesfeld", "", "Kreis Coesfeld", "Kreis Coesfeld", "Kreis Coesfeld"},
		{"", "Herr Köster", "Kreis Düren", "Kreis Düren", "Kreis Düren (Herr Köster)"},
		{"Präventionsteam", "", "", "Präventionsteam", "Präventionsteam"},
		{"", "Herr Köster", "", "", "Herr Köster"},
	}
	for _, c := range cases {
		in := workinggroup.Input{Title: c.title, Speaker: c.speaker}
		if got := in.Heading(c.municipality); got != c.heading {
			t.Errorf("Heading(%q, %q) = %q, want %q", c.title, c.municipality, got, c.heading)
		}
		if got := in.Line(c.municipality); got != c.line {
			t.Errorf("Line(%q, %q) = %q, want %q", c.title, c.municipality, got, c.line)
		}
	}
}
