package document

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Measures of the signature list in millimetres.
const (
	sigTableHeadH = 7.0
	sigRowMinH    = 13.0 // room to sign by hand
	sigLineH      = 4.0
	sigPadV       = 2.0
	sigMaxLines   = 4 // longer cell text is cut; a row stays under 20 mm
	sigClosingH   = 46.0
	sigNoteH      = 4.4
	sigEmptyH     = 10.0 // the note that nobody registered for the day
	sigWalkInH    = 11.0 // the heading above the blank rows
	sigMinBlank   = 5    // blank rows at least, for people without registration
)

// SignatureList writes the Unterschriftenliste of ev for day d as an A4
// PDF to w: the confirmed registrations that attend d, sorted by name,
// each with a row tall enough to sign; below the heading "Nachmeldungen
// vor Ort" numbered blank rows for people who come without registration,
// filling the last page and at least five (on a page of their own when
// fewer fit); and at the end the number listed, a line for the number of
// signatures and one for the organiser to confirm the list – the proof
// of attendance funders ask for.
//
// With the zero date the list has one section per meeting day, each
// starting on a new page; pages are numbered per section, so each day's
// list can be filed on its own. A registration without days attends all
// of them, as the registration form preselects them. d must be a day of
// the meeting.
//
// schedule gives the hours of each day (ev.Schedule with the programme's
// hours, agenda.Spans); nil means the meeting's own times on every day.
func SignatureList(w io.Writer, ev *event.Event, schedule event.Schedule, regs []registration.Registration, municipalities map[int64]municipality.Municipality, d day.Date, generatedAt time.Time) error {
	if ev == nil {
		return errors.New("render signature list: no event")
	}
	meeting := ev.Days.Normalize()
	dates := meeting
	switch {
	case !d.IsZero() && !meeting.Contains(d):
		return fmt.Errorf("render signature list of %s: %s is not a day of the meeting", ev.Name(), d.German())
	case !d.IsZero():
		dates = day.List{d}
	case len(dates) == 0:
		dates = day.List{{}} // a meeting without dates: one list of everybody
	}
	g, err := newGlyphs()
	if err != nil {
		return fmt.Errorf("render signature list of %s: %w", ev.Name(), err)
	}
	title := "Unterschriftenliste – " + ev.Name()
	if !d.IsZero() {
		title += " – " + d.German()
	}
	s := &signatureList{f: newPDF(g.clean(title), generatedAt), g: g, ev: ev, schedule: scheduleOf(ev, schedule),
		munis: municipalities, stand: standLine(generatedAt)}
	s.cols = s.columns()
	for _, date := range dates {
		sec := s.section(date, meeting, regs)
		pages := s.paginate(sec)
		for n, rows := range pages {
			s.drawPage(sec, rows, n+1, len(pages))
		}
	}
	if err := s.f.Output(w); err != nil {
		return fmt.Errorf("render signature list of %s: %w", ev.Name(), err)
	}
	return nil
}

// sigColumn is one column of the table; cell gives its text.
type sigColumn struct {
	title string
	w     float64
	align string
	cell  func(r *registration.Registration) string
}

// sigRow is one person, wrapped, or a blank row to fill in by hand.
type sigRow struct {
	nr    int
	cells [][]string
	h     float64
	blank bool // for someone without registration
}

// sigSection is the list of one day.
type sigSection struct {
	kicker  string   // "UNTERSCHRIFTENLISTE · TAG 1 VON 2"
	name    []string // the meeting's name, wrapped
	when    []string // date and hours
	place   []string
	headerH float64
	rows    []sigRow // the people registered
	total   string
}

// signatureList is one rendering in progress.
type signatureList struct {
	f        *fpdf.Fpdf
	g        *glyphs
	ev       *event.Event
	schedule event.Schedule
	stand    string
	cols     []sigColumn
	munis    map[int64]municipality.Municipality
	noteLn   []string
}

// columns lays out the table: the signature column takes what the
// others leave, about a third of the width.
func (s *signatureList) columns() []sigColumn {
	cols := []sigColumn{
		{title: "Nr.", w: 9, align: "R"},
		{title: "Name", w: 42, cell: displayName},
		{title: "Kommune/Organisation", w: 38, cell: s.origin},
		{title: "Funktion", w: 33, cell: func(r *registration.Registration) string { return r.Function }},
		{title: "Unterschrift"},
	}
	rest := contentW
	for _, c := range cols {
		rest -= c.w
	}
	cols[len(cols)-1].w = rest
	for i := range cols {
		if cols[i].align == "" {
			cols[i].align = "L"
		}
	}
	return cols
}

// origin is the participant's municipality or, failing that, organisation.
func (s *signatureList) origin(r *registration.Registration) string {
	if r.MunicipalityID != nil {
		if m, ok := s.munis[*r.MunicipalityID]; ok {
			return m.Name
		}
	}
	return r.Organisation
}

// attendsDay reports whether a registration for days attends d of the
// meeting. No days, or none of the meeting's, is read as all days.
func attendsDay(meeting, days day.List, d day.Date) bool {
	some := false
	for _, x := range days {
		if meeting.Contains(x) {
			some = true
			if x == d {
				return true
			}
		}
	}
	return !some
}

// section selects, sorts and wraps the people attending date.
func (s *signatureList) section(date day.Date, meeting day.List, regs []registration.Registration) *sigSection {
	f := s.f
	sec := &sigSection{kicker: "UNTERSCHRIFTENLISTE"}
	if len(meeting) > 1 && !date.IsZero() {
		for i, x := range meeting {
			if x == date {
				sec.kicker += fmt.Sprintf(" · TAG %d VON %d", i+1, len(meeting))
			}
		}
	}
	setFont(f, "B", 15, colText)
	sec.name = wrap(f, s.g.clean(s.ev.Name()), contentW, 2)
	when := date.GermanLong()
	if h := hoursOn(s.ev, s.schedule, date).Text(); h != "" && when != "" {
		when += " · " + h
	}
	setFont(f, "B", 11, colText)
	if when != "" {
		sec.when = wrap(f, s.g.clean(when), contentW, 2)
	}
	setFont(f, "", 9.5, colMuted)
	if p := s.g.clean(s.ev.Place()); p != "" {
		sec.place = wrap(f, p, contentW, 2)
	}
	setFont(f, "I", 8.5, colMuted)
	s.noteLn = wrap(f, "Mit meiner Unterschrift bestätige ich meine Teilnahme an der Veranstaltung an diesem Tag.", contentW, 2)
	sec.headerH = 4.5 + 6.8*float64(len(sec.name)) + 1 + 5.6*float64(len(sec.when)) + 4.6*float64(len(sec.place)) + 4 +
		sigNoteH*float64(len(s.noteLn)) + 2

	var people []person
	for i := range regs {
		r := &regs[i]
		if r.Status == registration.Confirmed && (date.IsZero() || attendsDay(meeting, r.Days, date)) {
			people = append(people, newPerson(r))
		}
	}
	sortPeople(people)
	setFont(f, "", 9, colText)
	for i, p := range people {
		row := sigRow{nr: i + 1, cells: make([][]string, len(s.cols))}
		lines := 1
		for k, c := range s.cols {
			switch {
			case c.cell != nil:
				row.cells[k] = wrap(f, s.g.clean(c.cell(p.reg)), c.w, sigMaxLines)
			case k == 0:
				row.cells[k] = []string{strconv.Itoa(row.nr)}
			}
			lines = max(lines, len(row.cells[k]))
		}
		row.h = max(sigRowMinH, sigLineH*float64(lines)+2*sigPadV)
		sec.rows = append(sec.rows, row)
	}
	switch len(people) {
	case 1:
		sec.total = "Gesamt: 1 angemeldete Person"
	default:
		sec.total = "Gesamt: " + strconv.Itoa(len(people)) + " angemeldete Personen"
	}
	if !date.IsZero() {
		sec.total += " für " + date.German()
	}
	return sec
}

// paginate distributes a section's rows over pages and adds the blank
// rows after them: the heading with at least sigMinBlank rows – on a new
// page when they do not fit – and as many more as fill the last page
// above the closing block.
func (s *signatureList) paginate(sec *sigSection) [][]sigRow {
	top := marginT + sec.headerH + sigTableHeadH
	var pages [][]sigRow
	page := []sigRow{}
	y := top
	for _, row := range sec.rows {
		if y+row.h > contentBottom && len(page) > 0 {
			pages = append(pages, page)
			page = []sigRow{}
			y = top
		}
		page = append(page, row)
		y += row.h
	}
	if len(sec.rows) == 0 {
		y += sigEmptyH
	}
	room := func(y float64) int { return int((contentBottom - sigClosingH - sigWalkInH - y + 1e-9) / sigRowMinH) }
	if room(y) < sigMinBlank {
		pages = append(pages, page)
		page = []sigRow{}
		y = top
	}
	nr := len(sec.rows)
	for range max(room(y), sigMinBlank) {
		nr++
		cells := make([][]string, len(s.cols))
		cells[0] = []string{strconv.Itoa(nr)}
		page = append(page, sigRow{nr: nr, cells: cells, blank: true, h: sigRowMinH})
	}
	return append(pages, page)
}

func (s *signatureList) drawPage(sec *sigSection, rows []sigRow, n, total int) {
	f := s.f
	f.AddPage()
	y := s.drawHeader(sec)
	s.drawTableHead(y)
	y += sigTableHeadH
	if len(sec.rows) == 0 && n == 1 {
		setFont(f, "I", 9.5, colMuted)
		f.SetXY(marginX, y+3)
		f.CellFormat(contentW, 6, "Für diesen Tag liegen keine bestätigten Anmeldungen vor.", "", 0, "LM", false, 0, "")
		y += sigEmptyH
	}
	for i, r := range rows {
		if r.blank && (i == 0 || !rows[i-1].blank) {
			s.drawWalkInHeading(y)
			y += sigWalkInH
		}
		s.drawRow(r, y)
		y += r.h
	}
	if n == total {
		s.drawClosing(sec, y)
	}
	drawFooter(f, s.stand, n, total)
}

// drawHeader writes the page header and returns the y below it.
func (s *signatureList) drawHeader(sec *sigSection) float64 {
	f := s.f
	y := marginT
	put := func(lines []string, h float64) {
		for _, l := range lines {
			f.SetXY(marginX, y)
			f.CellFormat(contentW, h, l, "", 0, "L", false, 0, "")
			y += h
		}
	}
	setFont(f, "B", 8.5, colAccent)
	put([]string{sec.kicker}, 4.5)
	setFont(f, "B", 15, colText)
	put(sec.name, 6.8)
	y++
	setFont(f, "B", 11, colText)
	put(sec.when, 5.6)
	setFont(f, "", 9.5, colMuted)
	put(sec.place, 4.6)
	y += 1.5
	f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	f.SetLineWidth(0.5)
	f.Line(marginX+f.GetCellMargin(), y, pageW-marginX-f.GetCellMargin(), y)
	y += 2.5
	setFont(f, "I", 8.5, colMuted)
	put(s.noteLn, sigNoteH)
	return marginT + sec.headerH
}

func (s *signatureList) drawTableHead(y float64) {
	f := s.f
	f.SetFillColor(colTint.r, colTint.g, colTint.b)
	f.Rect(marginX, y, contentW, sigTableHeadH, "F")
	setFont(f, "B", 8.5, colAccent)
	x := marginX
	for _, c := range s.cols {
		f.SetXY(x, y)
		f.CellFormat(c.w, sigTableHeadH, c.title, "", 0, c.align+"M", false, 0, "")
		x += c.w
	}
}

// drawRow writes a row with a frame around the signature field.
func (s *signatureList) drawRow(r sigRow, y float64) {
	f := s.f
	x := marginX
	for k, c := range s.cols {
		if k == 0 {
			setFont(f, "", 9, colMuted)
		} else {
			setFont(f, "", 9, colText)
		}
		for i, l := range r.cells[k] {
			f.SetXY(x, y+sigPadV+sigLineH*float64(i))
			f.CellFormat(c.w, sigLineH, l, "", 0, c.align+"M", false, 0, "")
		}
		x += c.w
	}
	f.SetDrawColor(colRule.r, colRule.g, colRule.b)
	f.SetLineWidth(0.2)
	f.Line(marginX, y+r.h, marginX+contentW, y+r.h)
	sigX := marginX + contentW - s.cols[len(s.cols)-1].w
	f.Line(sigX, y, sigX, y+r.h)
	if r.blank {
		// Written by hand: each field gets its own box.
		x := marginX
		for _, c := range s.cols[:len(s.cols)-2] {
			x += c.w
			f.Line(x, y, x, y+r.h)
		}
	}
}

// drawWalkInHeading heads the blank rows for people who come without
// registration.
func (s *signatureList) drawWalkInHeading(y float64) {
	f := s.f
	f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	f.SetLineWidth(0.5)
	f.Line(marginX, y+3, marginX+contentW, y+3)
	setFont(f, "B", 10, colAccent)
	f.SetXY(marginX, y+4)
	f.CellFormat(contentW, 7, "Nachmeldungen vor Ort", "", 0, "LM", false, 0, "")
}

// drawClosing writes the total, a line for the number of signatures and
// the organiser's confirmation below the table.
func (s *signatureList) drawClosing(sec *sigSection, y float64) {
	f := s.f
	y += 5
	f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	f.SetLineWidth(0.5)
	f.Line(marginX, y, marginX+contentW, y)
	y += 2
	setFont(f, "B", 10, colText)
	f.SetXY(marginX, y)
	f.CellFormat(contentW, 6, sec.total, "", 0, "LM", false, 0, "")
	y += 10

	label := func(text string, lineW float64, caption string) {
		setFont(f, "", 10, colText)
		w := f.GetStringWidth(text) + 2*f.GetCellMargin()
		f.SetXY(marginX, y)
		f.CellFormat(w, 6, text, "", 0, "LB", false, 0, "")
		f.SetDrawColor(colText.r, colText.g, colText.b)
		f.SetLineWidth(0.3)
		f.Line(marginX+w+1, y+5.5, marginX+w+1+lineW, y+5.5)
		if caption != "" {
			setFont(f, "", 7.5, colMuted)
			f.SetXY(marginX+w+1, y+6)
			f.CellFormat(lineW, 3.5, caption, "", 0, "L", false, 0, "")
		}
	}
	label("Anzahl der Unterschriften:", 30, "")
	y += 12
	label("Bestätigt durch Veranstalter:", 95, "Ort, Datum, Name in Druckschrift und Unterschrift")
}
