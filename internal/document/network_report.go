package document

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/report"
)

// NetworkReport renders the network report for the ministry and funders:
// a title page with the key figures and the participation per meeting as
// a bar chart, then the tables (meetings, municipalities, not reached,
// offices). The charts are drawn as shapes, so they stay sharp in print
// and their figures stay text.
func NetworkReport(w io.Writer, r report.Report, organiser string, generatedAt time.Time) error {
	g, err := newGlyphs()
	if err != nil {
		return err
	}
	f := newPDF(r.Title(), generatedAt)
	n := &networkReport{f: f, g: g, r: r}
	f.SetFooterFunc(func() {
		setFont(f, "", 8, colMuted)
		f.SetXY(marginX, pageH-12)
		f.CellFormat(contentW/2, 5, g.clean(organiser+" · erstellt am "+day.Of(generatedAt).German()), "", 0, "L", false, 0, "")
		f.CellFormat(contentW/2, 5, fmt.Sprintf("Seite %d", f.PageNo()), "", 0, "R", false, 0, "")
	})
	n.titlePage(organiser)
	n.tables()
	if err := f.Output(w); err != nil {
		return fmt.Errorf("render network report %s: %w", r.Period.Label(), err)
	}
	return nil
}

type networkReport struct {
	f *fpdf.Fpdf
	g *glyphs
	r report.Report
	y float64
}

const reportBottom = pageH - 20

func (n *networkReport) titlePage(organiser string) {
	f, g, r := n.f, n.g, n.r
	f.AddPage()
	f.SetFillColor(colAccent.r, colAccent.g, colAccent.b)
	f.Rect(0, 0, pageW, 8, "F")
	setFont(f, "B", 24, colAccent)
	f.SetXY(marginX, 26)
	heading := "Netzwerkbericht " + r.Period.Label()
	if r.Municipality != "" {
		heading = "Bericht " + r.Municipality
	}
	f.CellFormat(contentW, 11, g.clean(heading), "", 1, "L", false, 0, "")
	// The title line funders look for, on one line.
	setFont(f, "B", 12.5, colText)
	f.SetX(marginX)
	f.MultiCell(contentW, 7, g.clean(r.Title()), "", "L", false)
	setFont(f, "", 11, colMuted)
	f.SetX(marginX)
	sub := "Zeitraum: " + r.Period.From.German() + " bis " + r.Period.To.German()
	f.MultiCell(contentW, 6, g.clean(sub+" · "+organiser), "", "L", false)
	n.y = f.GetY() + 8

	// Key figures in boxes.
	figures := []struct{ value, label string }{
		{fmt.Sprint(len(r.Meetings)), "Treffen"},
		{fmt.Sprint(r.Participants()), "Teilnahmen"},
		{fmt.Sprint(len(r.Municipalities)), "Kommunen erreicht"},
	}
	if r.Municipality == "" {
		figures = append(figures, struct{ value, label string }{fmt.Sprint(len(r.NotReached)), "nicht erreicht"})
	} else {
		figures = append(figures, struct{ value, label string }{fmt.Sprint(r.Registrations()), "Anmeldungen"})
	}
	bw := (contentW - 3*4) / 4
	for i, fg := range figures {
		x := marginX + float64(i)*(bw+4)
		f.SetFillColor(colTint.r, colTint.g, colTint.b)
		f.Rect(x, n.y, bw, 24, "F")
		setFont(f, "B", 18, colAccent)
		f.SetXY(x, n.y+3)
		f.CellFormat(bw, 9, fg.value, "", 0, "C", false, 0, "")
		setFont(f, "", 9, colText)
		f.SetXY(x, n.y+14)
		f.CellFormat(bw, 6, g.clean(fg.label), "", 0, "C", false, 0, "")
	}
	n.y += 34
	n.heading("Teilnehmende je Treffen")
	n.bars(r.ParticipationBars())
	if r.WithoutCheckIn() {
		n.note("Bei Treffen ohne Check-in sind die bestätigten Anmeldungen gezählt.")
	}
	if r.Municipality == "" {
		n.heading("Erreichte Kommunen")
		n.bars(r.ReachBars())
	}
}

func (n *networkReport) heading(text string) {
	n.room(14)
	setFont(n.f, "B", 13, colAccent)
	n.f.SetXY(marginX, n.y)
	n.f.CellFormat(contentW, 7, n.g.clean(text), "", 0, "L", false, 0, "")
	n.y += 9
}

func (n *networkReport) note(text string) {
	n.room(6)
	setFont(n.f, "I", 8.5, colMuted)
	n.f.SetXY(marginX, n.y)
	n.f.MultiCell(contentW, 4.5, n.g.clean(text), "", "L", false)
	n.y = n.f.GetY() + 2
}

// room starts a new page when h millimetres do not fit on this one.
func (n *networkReport) room(h float64) {
	if n.y+h > reportBottom {
		n.f.AddPage()
		n.y = marginT + 5
	}
}

// bars draws a horizontal bar chart: label, bar, value.
func (n *networkReport) bars(bars []report.Bar) {
	f := n.f
	max := 0
	for _, b := range bars {
		if b.Value > max {
			max = b.Value
		}
	}
	const labelW, barH, gap = 70.0, 5.0, 2.0
	room := contentW - labelW - 14
	for _, b := range bars {
		n.room(barH + gap)
		setFont(f, "", 8.5, colText)
		f.SetXY(marginX, n.y)
		f.CellFormat(labelW, barH, n.g.clean(cut(f, n.g.clean(b.Label), labelW-3)), "", 0, "R", false, 0, "")
		bw := report.BarWidth(b.Value, max, room)
		f.SetFillColor(colAccent.r, colAccent.g, colAccent.b)
		if bw > 0 {
			f.Rect(marginX+labelW+1, n.y+0.5, bw, barH-1, "F")
		}
		f.SetXY(marginX+labelW+2+bw, n.y)
		f.CellFormat(14, barH, fmt.Sprint(b.Value), "", 0, "L", false, 0, "")
		n.y += barH + gap
	}
	n.y += 3
}

func cut(f *fpdf.Fpdf, s string, w float64) string {
	if f.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && f.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// table draws a header row and rows; the first column is left-aligned,
// the others right-aligned numbers unless align says otherwise.
func (n *networkReport) table(widths []float64, align string, header []string, rows [][]string) {
	f := n.f
	const h = 6.0
	drawHeader := func() {
		setFont(f, "B", 8.5, colAccent)
		f.SetFillColor(colTint.r, colTint.g, colTint.b)
		f.SetXY(marginX, n.y)
		for i, c := range header {
			f.CellFormat(widths[i], h, n.g.clean(c), "B", 0, string(align[i]), true, 0, "")
		}
		n.y += h
	}
	n.room(2 * h)
	drawHeader()
	for k, row := range rows {
		if n.y+h > reportBottom {
			n.room(h + 10)
			drawHeader()
		}
		setFont(f, "", 8.5, colText)
		if k == len(rows)-1 && row[0] == "Summe" {
			setFont(f, "B", 8.5, colText)
		}
		f.SetFillColor(colShade.r, colShade.g, colShade.b)
		f.SetXY(marginX, n.y)
		for i, c := range row {
			f.CellFormat(widths[i], h, cut(f, n.g.clean(c), widths[i]-3), "", 0, string(align[i]), k%2 == 1, 0, "")
		}
		n.y += h
	}
	n.y += 4
}

func (n *networkReport) tables() {
	r := n.r
	n.f.AddPage()
	n.y = marginT + 5
	n.heading("Treffen im Zeitraum")
	var rows [][]string
	for _, m := range r.Meetings {
		noShows, counted := fmt.Sprint(m.NoShows()), ""
		if !m.UsedCheckIn {
			noShows, counted = "–", " *"
		}
		rows = append(rows, []string{m.Name, m.Days.German(), fmt.Sprint(m.Registrations), fmt.Sprint(m.Participants()) + counted, noShows})
	}
	rows = append(rows, []string{"Summe", "", fmt.Sprint(r.Registrations()), fmt.Sprint(r.Participants()), fmt.Sprint(r.NoShows())})
	n.table([]float64{62, 42, 24, 24, 22}, "LLRRR", []string{"Treffen", "Datum", "Anmeldungen", "Teilnehmende", "Nicht ersch."}, rows)
	if r.WithoutCheckIn() {
		n.note("* ohne Check-in: bestätigte Anmeldungen gezählt; nicht Erschienene sind dort nicht bekannt.")
	}

	n.heading("Kommunen")
	rows = nil
	for _, m := range r.Municipalities {
		rows = append(rows, []string{m.Name, fmt.Sprint(m.Meetings), fmt.Sprint(m.People), m.Status()})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"Keine Teilnahme im Zeitraum", "", "", ""})
	}
	n.table([]float64{78, 30, 30, 36}, "LRRL", []string{"Kommune", "Treffen besucht", "Teilnahmen", "Im Zeitraum"}, rows)

	if r.Municipality == "" {
		n.heading(fmt.Sprintf("Nicht erreicht (%d von %d Kommunen)", len(r.NotReached), r.NetworkSize()))
		rows = nil
		for _, name := range r.NotReached {
			rows = append(rows, []string{name})
		}
		if len(rows) == 0 {
			rows = append(rows, []string{"Alle Kommunen des Netzwerks wurden erreicht."})
		}
		n.table([]float64{contentW}, "L", []string{"Kommune"}, rows)
	}

	n.heading("Teilnehmende nach Arbeitsbereich")
	rows = nil
	for _, c := range r.Functions {
		rows = append(rows, []string{string(c.Category), fmt.Sprint(c.People)})
	}
	n.table([]float64{78, 30}, "LR", []string{"Bereich", "Teilnahmen"}, rows)
	n.note("Zugeordnet nach Stichworten in der Angabe „Funktion“ der Anmeldung.")
}
