package municipality_test

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
)

// FuzzParseCSV: any input yields valid inputs and line errors with
// German messages, or one refusal of the whole file; the accepted lines,
// written out again as CSV, import to the same inputs without errors.
// Seeds: testdata/fuzz/FuzzParseCSV.
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
			if pe, ok := problem.As(err); !ok || pe.Code != problem.Invalid || !german(pe.Message) {
				t.Fatalf("refusal %#v", err)
			}
			return
		}
		for _, in := range inputs {
			if _, err := in.Validate(); err != nil {
				t.Fatalf("returned input %+v does not validate: %v", in, err)
			}
		}
		for _, le := range lineErrs {
			if le.Line < 1 || !german(le.Message) {
				t.Fatalf("bad line error %+v", le)
			}
		}
		if len(inputs) == 0 {
			return
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma = ';'
		_ = w.Write([]string{"Name", "Art"})
		for _, in := range inputs {
			_ = w.Write([]string{in.Name, in.Kind})
		}
		w.Flush()
		again, errs, err := municipality.ParseCSV(&b)
		if err != nil || len(errs) > 0 || !reflect.DeepEqual(inputs, again) {
			t.Fatalf("round trip of %q:\n%+v\n%+v %v %v", data, inputs, again, errs, err)
		}
	})
}

func german(msg string) bool {
	r, _ := utf8.DecodeRuneInString(msg)
	return msg != "" && (unicode.IsUpper(r) || unicode.IsDigit(r)) && strings.HasSuffix(msg, ".")
}
