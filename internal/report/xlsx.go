package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook.
const (
	SheetMeetings       = "Treffen"
	SheetMunicipalities = "Kommunen"
	SheetNotReached     = "Nicht erreicht"
	SheetFunctions      = "Funktionen"
)

// Title is the report's title line: "Bericht Lernnetzwerk Kommunale
// Präventionsketten NRW, 2025", with the municipality for a limited one.
func (r Report) Title() string {
	t := "Bericht Lernnetzwerk Kommunale Präventionsketten NRW, " + r.Period.Label()
	if r.Municipality != "" {
		t += " – " + r.Municipality
	}
	return t
}

// XLSX writes the report as a workbook: the sheets Treffen, Kommunen,
// Nicht erreicht (left out in a report limited to one municipality) and
// Funktionen, each with a bold header row and numbers as numbers.
func XLSX(w io.Writer, r Report) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeWorkbook(f, r); err != nil {
		return fmt.Errorf("write report XLSX %s: %w", r.Period.Label(), err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write report XLSX %s: %w", r.Period.Label(), err)
	}
	return nil
}

func writeWorkbook(f *excelize.File, r Report) error {
	header, err := f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true, Color: "1F4E79"},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E2EAF3"}},
		Border: []excelize.Border{{Type: "bottom", Color: "1F4E79", Style: 1}},
	})
	if err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Title(), Language: "de-DE", Creator: "treffen"}); err != nil {
		return err
	}
	if err := f.SetSheetName(f.GetSheetName(0), SheetMeetings); err != nil {
		return err
	}
	meetings := [][]any{{"Treffen", "Datum", "Anmeldungen", "Teilnehmende", "Nicht erschienen", "Gezählt nach"}}
	for _, m := range r.Meetings {
		counted, noShows := "Check-in", any(m.NoShows())
		if !m.UsedCheckIn {
			counted, noShows = "Bestätigte Anmeldungen (ohne Check-in)", ""
		}
		meetings = append(meetings, []any{m.Name, m.Days.German(), m.Registrations, m.Participants(), noShows, counted})
	}
	meetings = append(meetings, []any{"Summe", "", r.Registrations(), r.Participants(), r.NoShows(), ""})
	munis := [][]any{{"Kommune", "Treffen besucht", "Teilnahmen", "Im Zeitraum"}}
	for _, m := range r.Municipalities {
		munis = append(munis, []any{m.Name, m.Meetings, m.People, m.Status()})
	}
	functions := [][]any{{"Bereich", "Teilnahmen"}}
	for _, c := range r.Functions {
		functions = append(functions, []any{string(c.Category), c.People})
	}
	sheets := []struct {
		name   string
		rows   [][]any
		widths []float64
	}{
		{SheetMeetings, meetings, []float64{36, 24, 14, 14, 18, 36}},
		{SheetMunicipalities, munis, []float64{34, 16, 14, 18}},
	}
	if r.Municipality == "" {
		notReached := [][]any{{"Kommune"}}
		for _, n := range r.NotReached {
			notReached = append(notReached, []any{n})
		}
		sheets = append(sheets, struct {
			name   string
			rows   [][]any
			widths []float64
		}{SheetNotReached, notReached, []float64{34}})
	}
	sheets = append(sheets, struct {
		name   string
		rows   [][]any
		widths []float64
	}{SheetFunctions, functions, []float64{26, 14}})
	for i, sh := range sheets {
		if i > 0 {
			if _, err := f.NewSheet(sh.name); err != nil {
				return err
			}
		}
		for j, row := range sh.rows {
			cell, err := excelize.CoordinatesToCellName(1, j+1)
			if err != nil {
				return err
			}
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				return err
			}
		}
		last, err := excelize.CoordinatesToCellName(len(sh.rows[0]), 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStyle(sh.name, "A1", last, header); err != nil {
			return err
		}
		for k, w := range sh.widths {
			col, err := excelize.ColumnNumberToName(k + 1)
			if err != nil {
				return err
			}
			if err := f.SetColWidth(sh.name, col, col, w); err != nil {
				return err
			}
		}
		if err := f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	return nil
}
