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
