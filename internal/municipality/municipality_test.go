package municipality_test

import (
	"context"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func TestImportCSVReportsBadLinesAndKeepsGoodOnes(t *testing.T) {
	s := municipality.NewStore(storetest.Open(t).Gorm)
	ctx := context.Background()
	if _, err := s.Create(ctx, municipality.Input{Name: "Stadt Ahlen"}); err != nil {
		t.Fatal(err)
	}
	csv := "\xef\xbb\xbfName;Art\n" +
		"Stadt Ahlen;Stadt\n" + // already there
		"Kreis Coesfeld;\n" + // kind from the name
		"Mülheim an der Ruhr;Stadt\n" +
		";Kreis\n" + // no name
		"Gemeinde X;Dorf\n" + // unknown kind
		"\"kaputt;Stadt\n"
	res, err := s.ImportCSV(ctx, strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Existing != 1 {
		t.Fatalf("created %d existing %d, want 2 and 1 (%+v)", res.Created, res.Existing, res)
	}
	lines := map[int]string{}
	for _, e := range res.Errors {
		lines[e.Line] = e.Message
	}
	if !strings.Contains(lines[5], "Namen") || !strings.Contains(lines[6], "Stadt, Kreis, Gemeinde oder Organisation") || lines[7] == "" {
		t.Fatalf("line errors: %v", lines)
	}
	all, _ := s.List(ctx)
	kinds := map[string]municipality.Kind{}
	for _, m := range all {
		kinds[m.Name] = m.Kind
	}
	if kinds["Kreis Coesfeld"] != municipality.Kreis || kinds["Mülheim an der Ruhr"] != municipality.Stadt {
		t.Fatalf("kinds: %v", kinds)
	}
}

func TestImportRejectsNonUTF8(t *testing.T) {
	s := municipality.NewStore(storetest.Open(t).Gorm)
	_, err := s.ImportCSV(context.Background(), strings.NewReader("Stadt M\xfcnster;Stadt\n")) // Latin-1 ü
	if !problem.Is(err, problem.Invalid) || !strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("got %v", err)
	}
}

func TestCreateRefusesDuplicateAnyCase(t *testing.T) {
	s := municipality.NewStore(storetest.Open(t).Gorm)
	ctx := context.Background()
	if _, err := s.Create(ctx, municipality.Input{Name: "Kreis Unna"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Create(ctx, municipality.Input{Name: "  kreis   unna "})
	if pe, ok := problem.As(err); !ok || pe.Code != problem.Conflict || pe.Fields["name"] == "" {
		t.Fatalf("duplicate: %v", err)
	}
}

func TestListsSortByPlaceName(t *testing.T) {
	names := []string{"Stadt Wuppertal", "Kreis Coesfeld", "Stadt Köln", "Kreis Unna", "Stadt Ahlen", "Stadt Recklinghausen",
		"Kreis Recklinghausen", "Städteregion Aachen", "Rhein-Kreis Neuss", "Stadt Übach-Palenberg", "Hochsauerlandkreis", "Stadt Mülheim an der Ruhr"}
	list := make([]municipality.Municipality, len(names))
	for i, n := range names {
		list[i] = municipality.Municipality{Name: n}
	}
	municipality.Sort(list)
	var got []string
	for _, m := range list {
		got = append(got, m.Name)
	}
	want := []string{"Städteregion Aachen", "Stadt Ahlen", "Kreis Coesfeld", "Hochsauerlandkreis", "Stadt Köln", "Stadt Mülheim an der Ruhr",
		"Kreis Recklinghausen", "Stadt Recklinghausen", "Rhein-Kreis Neuss", "Stadt Übach-Palenberg", "Kreis Unna", "Stadt Wuppertal"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
	for in, want := range map[string]string{"Stadt Köln": "Köln", "Kreis Coesfeld": "Coesfeld", "stadt Neuss": "Neuss",
		"Rhein-Kreis Neuss": "Rhein-Kreis Neuss", "Stadt": "Stadt", "Institut für Soziale Arbeit e.V.": "Institut für Soziale Arbeit e.V."} {
		if got := municipality.PlaceName(in); got != want {
			t.Errorf("PlaceName(%q) = %q, want %q", in, got, want)
		}
	}

	// The store lists in the same order on every database.
	s := municipality.NewStore(storetest.Open(t).Gorm)
	for _, n := range names {
		if _, err := s.Create(context.Background(), municipality.Input{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := s.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, m := range stored {
		got = append(got, m.Name)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("store order\n got %v\nwant %v", got, want)
	}
}
