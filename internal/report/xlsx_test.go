package report_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/isa-nrw/treffen/internal/report"
)

func TestXLSX(t *testing.T) {
	d := newDataset(t)
	r, err := d.store.Network(context.Background(), report.YearPeriod(2025), d.today, report.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.XLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 4 || got[0] != "Treffen" || got[1] != "Kommunen" || got[2] != "Nicht erreicht" || got[3] != "Funktionen" {
		t.Errorf("sheets %v", got)
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{"Treffen", "A2", "31. Lernnetzwerktreffen"}, {"Treffen", "C2", "6"}, {"Treffen", "D2", "4"}, {"Treffen", "E2", "1"},
		{"Treffen", "A3", "32. Lernnetzwerktreffen"}, {"Treffen", "D3", "3"}, {"Treffen", "E3", ""}, {"Treffen", "F3", "Bestätigte Anmeldungen (ohne Check-in)"},
		{"Treffen", "A4", "Summe"}, {"Treffen", "C4", "10"}, {"Treffen", "D4", "7"},
		{"Kommunen", "A3", "Stadt Ahlen"}, {"Kommunen", "B3", "2"}, {"Kommunen", "C3", "3"}, {"Kommunen", "D3", "wiederkehrend"},
		{"Kommunen", "A2", "Kreis Coesfeld"}, {"Kommunen", "D2", "erstmals"},
		{"Nicht erreicht", "A2", "Stadt Essen"}, {"Nicht erreicht", "A3", ""},
		{"Funktionen", "A2", "Jugendamt"}, {"Funktionen", "B2", "1"}, {"Funktionen", "A6", "Koordination/Planung"}, {"Funktionen", "B6", "2"},
	} {
		got, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil || got != c.want {
			t.Errorf("%s!%s = %q (%v), want %q", c.sheet, c.cell, got, err, c.want)
		}
	}
	if typ, _ := f.GetCellType("Treffen", "D2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("participants stored as text (%v)", typ)
	}
}
