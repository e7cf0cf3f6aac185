package csvimport_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/csvimport"
	"github.com/isa-nrw/treffen/internal/problem"
)

func TestRead(t *testing.T) {
	file := "\xef\xbb\xbfKommune;Name;E-Mail\nStadt Köln; Anna Becker;a@koeln.de\n\n ; \n\"kaputt;x\nStadt Herne;\"Weiß, Jürgen\";j@herne.de\n"
	got, err := csvimport.Read(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{1 [Kommune Name E-Mail] false} {2 [Stadt Köln Anna Becker a@koeln.de] false} {5 [] true}]`
	if s := fmt.Sprint(got); s != want {
		t.Errorf("records\n %s\nwant\n %s", s, want)
	}
	comma, err := csvimport.Read(strings.NewReader("Stadt Herne,\"Weiß; Jürgen\",j@herne.de\n"))
	if err != nil || len(comma) != 1 || len(comma[0].Fields) != 3 || comma[0].Fields[1] != "Weiß; Jürgen" {
		t.Errorf("comma-separated: %v, %v", comma, err)
	}
	if _, err := csvimport.Read(strings.NewReader("K\xf6ln;x\n")); !problem.Is(err, problem.Invalid) {
		t.Errorf("Latin-1 file: %v", err)
	}
}
