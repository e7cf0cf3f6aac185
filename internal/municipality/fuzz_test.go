package municipality_test

import (
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/municipality"
)

// FuzzParseCSV: any input yields valid inputs and line errors, never a panic.
func FuzzParseCSV(f *testing.F) {
	for _, seed := range []string{
		"Name;Art\nStadt Ahlen;Stadt\nKreis Coesfeld;Kreis\n",
		"\xef\xbb\xbfStadt Münster,Stadt\n",
		"\"kaputt;Stadt\n",
		";\n;;;\n\n",
		"Stadt M\xfcnster;Stadt\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		inputs, lineErrs, err := municipality.ParseCSV(strings.NewReader(data))
		if err != nil {
			return
		}
		for _, in := range inputs {
			if _, err := in.Validate(); err != nil {
				t.Fatalf("returned input %+v does not validate: %v", in, err)
			}
		}
		for _, le := range lineErrs {
			if le.Line < 1 || le.Message == "" {
				t.Fatalf("bad line error %+v", le)
			}
		}
	})
}
