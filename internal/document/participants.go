package document

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/collate"

	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Vertical measures of the participant list in millimetres.
const (
	footerRuleY   = pageH - 15 // thin rule above the footer
	contentBottom = footerRuleY - 3
	tableHeadH    = 6.5
	rowLineH      = 4.0
	rowPadV       = 1.4
	headingLineH  = 5.0
	headingPadTop = 4.0
	headingPadBot = 1.5
	groupTotalH   = 6.0
	grandTotalH   = 11.0
	maxCellLines  = 8 // longer cell text is cut so a row always fits a page
)

// noMunicipality heads participants who gave neither a municipality nor an
// organisation.
const noMunicipality = "Ohne Kommune"

// ParticipantList writes the participant list (Teilnehmerliste) of ev as
// an A4 PDF to w. It lists the confirmed registrations grouped by
// municipality, then guests grouped by their organisation, each ordered
// by place as every list is (municipality.SortKey: "Kreis Coesfeld"
// among the C, "Stadt Köln" among the K), with totals
// per group and overall; the waiting list is only counted. Every page
// repeats the meeting's name, motto, date and place and ends with
// "Seite N von M" and the time of generatedAt in Berlin.
//
// groups maps a registration's ID to the working groups it is assigned
// to, one label per slot in slot order (see WorkingGroupLabels); they
// are shown in a column "Arbeitsgruppe(n)", each theme in italics below
// its group. The column is left out when groups is empty.
//
// answers are further columns, one per question of the meeting the
// organiser chose to show, between the e-mail and the working groups.
func ParticipantList(w io.Writer, ev *event.Event, regs []registration.Registration, municipalities map[int64]municipality.Municipality, groups map[int64][]WorkingGroupLabel, generatedAt time.Time, answers ...AnswerColumn) error {
	if ev == nil {
		return errors.New("render participant list: no event")
	}
	g, err := newGlyphs()
	if err != nil {
		return fmt.Errorf("render participant list of %s: %w", ev.Name(), err)
	}
	l := newParticipantList(ev, g, groups, generatedAt, answers)
	l.build(regs, municipalities)
	pages := l.paginate()
	for i, p := range pages {
		l.drawPage(i+1, len(pages), p)
	}
	if err := l.f.Output(w); err != nil {
		return fmt.Errorf("render participant list of %s: %w", ev.Name(), err)
	}
	return nil
}

// column is one column of the table. Its text comes from cell, or from
// labels for the working groups.
type column struct {
	title  string
	w      float64
	align  string
	cell   func(r *registration.Registration) string
	labels func(r *registration.Registration) []WorkingGroupLabel
}

// itemKind tells the parts of the list apart.
type itemKind int

const (
	kindHeading itemKind = iota
	kindRow
	kindGroupTotal
	kindGrandTotal
	kindEmpty
)

// item is one unbreakable block of the list, in reading order.
type item struct {
	kind  itemKind
	h     float64
	keep  bool       // keep on the same page as the next item
	lines []string   // heading or total text, wrapped
	cells [][]string // wrapped lines per column, for rows
	theme []bool     // per line of the labels column: part of a theme
	nr    int        // running number, for rows
	shade bool       // alternate row shading
	group *group
}

// group is the participants of one municipality or organisation.
type group struct {
	name     string
	key      string
	rank     int  // 0 municipalities, 1 organisations, 2 without either
	kommune  bool // counts as Kommune in the overall total
	people   []person
	contHead item // heading repeated when the group continues on a new page
}

// person is a registration with its precomputed sort keys.
type person struct {
	reg         *registration.Registration
	last, first string
}

func newPerson(r *registration.Registration) person {
	return person{reg: r, last: collate.Key(r.LastName), first: collate.Key(r.FirstName)}
}

// sortPeople orders people by last name, then first name, as German
// lists do (collate.Key), and by registration for equal names.
func sortPeople(people []person) {
	sort.SliceStable(people, func(i, j int) bool {
		a, b := people[i], people[j]
		switch {
		case a.last != b.last:
			return a.last < b.last
		case a.first != b.first:
			return a.first < b.first
		}
		return a.reg.ID < b.reg.ID
	})
}

// standLine is "Stand: 13.09.2017 08:30" in Berlin time.
func standLine(generatedAt time.Time) string {
	return "Stand: " + generatedAt.In(day.Location()).Format("02.01.2006 15:04")
}

// participantList is one rendering in progress.
type participantList struct {
	f           *fpdf.Fpdf
	g           *glyphs
	ev          *event.Event
	days        day.List
	groups      map[int64][]WorkingGroupLabel
	cols        []column
	stand       string
	summary     []string
	headerName  []string
	headerMotto []string
	headerWhen  []string
	headerEnd   float64 // y below the page header
	items       []item
}

func newParticipantList(ev *event.Event, g *glyphs, groups map[int64][]WorkingGroupLabel, generatedAt time.Time, answers []AnswerColumn) *participantList {
	l := &participantList{
		g:      g,
		ev:     ev,
		days:   ev.Days.Normalize(),
		groups: groups,
		stand:  standLine(generatedAt),
	}
	l.f = newPDF(g.clean("Teilnehmerliste – "+ev.Name()), generatedAt)
	l.cols = withAnswers(l.columns(), answers)
	l.layoutHeader()
	return l
}

// columns lays out the table; the Tage column only appears when the
// meeting lasts several days, the Arbeitsgruppe(n) column when there are
// assignments. The Funktion column takes the width left over.
func (l *participantList) columns() []column {
	withGroups := len(l.groups) > 0
	nr := column{title: "Nr.", w: 10.5, align: "R"}
	name := column{title: "Name", w: 45, cell: displayName}
	function := column{title: "Funktion / Dienststelle", cell: func(r *registration.Registration) string { return r.Function }}
	email := column{title: "E-Mail", w: 50, cell: func(r *registration.Registration) string { return r.Email }}
	daysW := 16.0
	if withGroups {
		nr.w, name.w, email.w, daysW = 9, 36, 38, 13
		function.title = "Funktion" // the narrower column has no room for more
	}
	cols := []column{nr, name, function}
	if len(l.days) > 1 {
		cols = append(cols, column{title: "Tage", w: daysW, cell: func(r *registration.Registration) string { return daysAttended(l.days, r.Days) }})
	}
	cols = append(cols, email)
	if withGroups {
		cols = append(cols, column{title: "Arbeitsgruppe(n)", w: 46, labels: func(r *registration.Registration) []WorkingGroupLabel { return l.groups[r.ID] }})
	}
	rest := contentW
	for _, c := range cols {
		rest -= c.w
	}
	cols[2].w = rest
	for i := range cols {
		if cols[i].align == "" {
			cols[i].align = "L"
		}
	}
	return cols
}

// displayName is "Mustermann, Dr. Erika": sorted by the last name, with
// the academic title kept.
func displayName(r *registration.Registration) string {
	if r.AcademicTitle == "" {
		return r.SortName()
	}
	return r.LastName + ", " + r.AcademicTitle + " " + r.FirstName
}

// daysAttended names the meeting days a participant attends: "beide" or
// "alle" for all of them, else the dates as "13.09.". No days given is
// read as all days, as the registration form preselects them.
func daysAttended(meeting, attends day.List) string {
	var parts []string
	for _, d := range meeting {
		if attends.Contains(d) {
			parts = append(parts, fmt.Sprintf("%02d.%02d.", d.Day, d.Month))
		}
	}
	if len(parts) == 0 || len(parts) == len(meeting) {
		if len(meeting) == 2 {
			return "beide"
		}
		return "alle"
	}
	return strings.Join(parts, ", ")
}

// layoutHeader wraps the page header's lines and finds where it ends.
func (l *participantList) layoutHeader() {
	f := l.f
	setFont(f, "B", 16, colText)
	l.headerName = wrap(f, l.g.clean(l.ev.Name()), contentW, 2)
	if motto := l.g.clean(l.ev.Motto); motto != "" {
		// A motto is a quotation; add the quotes unless it brings its own.
		if first, _ := utf8.DecodeRuneInString(motto); !strings.ContainsRune("„“”‚‘\"'«»", first) {
			motto = "„" + motto + "“"
		}
		setFont(f, "I", 10.5, colText)
		l.headerMotto = wrap(f, motto, contentW, 3)
	}
	var when []string
	for _, s := range []string{l.days.German(), l.ev.Place()} {
		if s != "" {
			when = append(when, s)
		}
	}
	setFont(f, "", 9.5, colMuted)
	if len(when) > 0 {
		l.headerWhen = wrap(f, l.g.clean(strings.Join(when, " · ")), contentW, 2)
	}
	l.headerEnd = marginT + 4.5 + 7.2*float64(len(l.headerName)) + 5.0*float64(len(l.headerMotto)) + 4.6*float64(len(l.headerWhen)) + 6
}

// build groups and sorts the confirmed registrations and turns them into
// items with measured heights.
func (l *participantList) build(regs []registration.Registration, municipalities map[int64]municipality.Municipality) {
	byKey := map[string]*group{}
	var groups []*group
	confirmed, waiting := 0, 0
	for i := range regs {
		r := &regs[i]
		switch r.Status {
		case registration.Waitlisted:
			waiting++
			continue
		case registration.Confirmed:
			confirmed++
		default:
			continue
		}
		gr := groupOf(r, municipalities)
		if existing, ok := byKey[gr.key]; ok {
			gr = existing
		} else {
			byKey[gr.key] = gr
			groups = append(groups, gr)
		}
		gr.people = append(gr.people, newPerson(r))
	}
	sort.Slice(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.key < b.key
	})
	for _, gr := range groups {
		sortPeople(gr.people)
	}

	l.summary = l.wrapSummary(confirmed, waiting)
	nr := 0
	kommunen, others := 0, 0
	for _, gr := range groups {
		switch {
		case gr.kommune:
			kommunen++
		case gr.rank < 2:
			others++
		}
		l.items = append(l.items, l.heading(gr, gr.name))
		gr.contHead = l.heading(gr, gr.name+" (Fortsetzung)")
		for i, p := range gr.people {
			nr++
			l.items = append(l.items, l.row(gr, p.reg, nr, i%2 == 1))
		}
		l.items = append(l.items, item{kind: kindGroupTotal, h: groupTotalH, group: gr,
			lines: []string{countParticipants(len(gr.people))}})
		// A heading stays with the first row, the last row with the total;
		// in longer groups two rows each, so no row stands alone.
		n := len(l.items)
		l.items[n-len(gr.people)-2].keep = true
		l.items[n-2].keep = true
		if len(gr.people) >= 4 {
			l.items[n-len(gr.people)-1].keep = true
			l.items[n-3].keep = true
		}
	}
	if len(groups) == 0 {
		l.items = append(l.items, item{kind: kindEmpty, h: 12,
			lines: []string{"Für diese Veranstaltung liegen keine bestätigten Anmeldungen vor."}})
	}
	l.items[len(l.items)-1].keep = true
	l.items = append(l.items, item{kind: kindGrandTotal, h: grandTotalH,
		lines: []string{"Gesamt: " + countParticipants(confirmed) + origins(kommunen, others)}})
}

// groupOf returns a new, empty group for the registration's municipality
// or, failing that, its organisation.
func groupOf(r *registration.Registration, municipalities map[int64]municipality.Municipality) *group {
	if r.MunicipalityID != nil {
		if m, ok := municipalities[*r.MunicipalityID]; ok {
			return &group{name: m.Name, key: municipality.SortKey(m.Name) + "\x00" + strconv.FormatInt(m.ID, 10),
				kommune: m.Kind != municipality.Organisation}
		}
	}
	org := strings.Join(strings.Fields(r.Organisation), " ")
	if org == "" {
		return &group{name: noMunicipality, key: "", rank: 2}
	}
	return &group{name: org, key: municipality.SortKey(org), rank: 1}
}

func (l *participantList) wrapSummary(confirmed, waiting int) []string {
	s := strconv.Itoa(confirmed) + " bestätigte Anmeldungen"
	if confirmed == 1 {
		s = "1 bestätigte Anmeldung"
	}
	switch {
	case waiting == 1:
		s += " · 1 weitere Person auf der Warteliste (nicht aufgeführt)"
	case waiting > 1:
		s += " · " + strconv.Itoa(waiting) + " weitere Personen auf der Warteliste (nicht aufgeführt)"
	}
	setFont(l.f, "", 9.5, colText)
	return wrap(l.f, s, contentW, 2)
}

// countParticipants is "3 Teilnehmende" or "1 teilnehmende Person".
func countParticipants(n int) string {
	if n == 1 {
		return "1 teilnehmende Person"
	}
	return strconv.Itoa(n) + " Teilnehmende"
}

// origins is " aus 23 Kommunen und 2 weiteren Organisationen" in the
// dative the overall total needs.
func origins(kommunen, others int) string {
	var parts []string
	if kommunen > 0 {
		parts = append(parts, plural(kommunen, "Kommune", "Kommunen"))
	}
	switch {
	case others > 0 && kommunen > 0:
		parts = append(parts, plural(others, "weiteren Organisation", "weiteren Organisationen"))
	case others > 0:
		parts = append(parts, plural(others, "Organisation", "Organisationen"))
	}
	if len(parts) == 0 {
		return ""
	}
	return " aus " + strings.Join(parts, " und ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func (l *participantList) heading(gr *group, text string) item {
	setFont(l.f, "B", 10.5, colAccent)
	lines := wrap(l.f, l.g.clean(text), contentW, 3)
	return item{kind: kindHeading, group: gr, lines: lines,
		h: headingPadTop + headingLineH*float64(len(lines)) + headingPadBot}
}

func (l *participantList) row(gr *group, r *registration.Registration, nr int, shade bool) item {
	setFont(l.f, "", 9, colText)
	it := item{kind: kindRow, group: gr, nr: nr, shade: shade, cells: make([][]string, len(l.cols))}
	lines := 1
	for i, c := range l.cols {
		switch {
		case c.labels != nil:
			it.cells[i], it.theme = l.wrapLabels(c.labels(r), c.w)
			setFont(l.f, "", 9, colText)
		case c.cell != nil:
			it.cells[i] = wrap(l.f, l.g.clean(c.cell(r)), c.w, maxCellLines)
		default:
			it.cells[i] = []string{strconv.Itoa(nr)}
		}
		lines = max(lines, len(it.cells[i]))
	}
	it.h = rowLineH*float64(lines) + 2*rowPadV
	return it
}

// rowThemeSize is the type size of a working group's theme in a row.
const rowThemeSize = 8.5

// wrapLabels wraps working groups for a cell w wide: each name starts a
// line of its own, its theme follows on the next in italics. It returns
// at most maxCellLines lines – a cut list ends in "…" – and for each
// line whether it belongs to a theme.
func (l *participantList) wrapLabels(labels []WorkingGroupLabel, w float64) (lines []string, theme []bool) {
	f := l.f
	for _, lb := range labels {
		if name := l.g.clean(lb.Name); name != "" {
			setFont(f, "", 9, colText)
			for _, s := range wrap(f, name, w, maxCellLines) {
				lines, theme = append(lines, s), append(theme, false)
			}
		}
		if t := l.g.clean(lb.Theme); t != "" {
			setFont(f, "I", rowThemeSize, colMuted)
			for _, s := range wrap(f, t, w, maxCellLines) {
				lines, theme = append(lines, s), append(theme, true)
			}
		}
	}
	if len(lines) == 0 {
		return []string{""}, []bool{false}
	}
	if len(lines) > maxCellLines {
		lines, theme = lines[:maxCellLines], theme[:maxCellLines]
		if !strings.HasSuffix(lines[maxCellLines-1], "…") {
			lines[maxCellLines-1] += "…"
		}
	}
	return lines, theme
}

// placed is an item at its position on a page.
type placed struct {
	it *item
	y  float64
}

// paginate distributes the items over pages. A chain of items marked
// keep moves to the next page as a whole, so rows are never split and a
// heading never ends a page; a group cut by a page break gets its
// heading repeated with "(Fortsetzung)".
func (l *participantList) paginate() [][]placed {
	var pages [][]placed
	var page []placed
	var y, top float64
	newPage := func() {
		if page != nil {
			pages = append(pages, page)
		}
		page = []placed{}
		top = l.headerEnd + tableHeadH
		if len(pages) == 0 {
			top += 5*float64(len(l.summary)) + 3
		}
		y = top
	}
	newPage()
	for i := 0; i < len(l.items); {
		j, h := i, l.items[i].h
		for l.items[j].keep && j+1 < len(l.items) {
			j++
			h += l.items[j].h
		}
		if y+h > contentBottom && y > top {
			newPage()
			if it := &l.items[i]; it.kind == kindRow || it.kind == kindGroupTotal {
				page = append(page, placed{&it.group.contHead, y})
				y += it.group.contHead.h
			}
		}
		for ; i <= j; i++ {
			page = append(page, placed{&l.items[i], y})
			y += l.items[i].h
		}
	}
	return append(pages, page)
}

func (l *participantList) drawPage(n, total int, items []placed) {
	f := l.f
	f.AddPage()
	l.drawHeader()
	y := l.headerEnd
	if n == 1 {
		setFont(f, "", 9.5, colText)
		for _, s := range l.summary {
			f.SetXY(marginX, y)
			f.CellFormat(contentW, 5, s, "", 0, "L", false, 0, "")
			y += 5
		}
		y += 3
	}
	l.drawTableHead(y)
	for _, p := range items {
		l.drawItem(p)
	}
	l.drawFooter(n, total)
}

func (l *participantList) drawHeader() {
	f := l.f
	y := marginT
	setFont(f, "B", 8.5, colAccent)
	f.SetXY(marginX, y)
	f.CellFormat(contentW, 4.5, "TEILNEHMERLISTE", "", 0, "L", false, 0, "")
	y += 4.5
	setFont(f, "B", 16, colText)
	for _, s := range l.headerName {
		f.SetXY(marginX, y)
		f.CellFormat(contentW, 7.2, s, "", 0, "L", false, 0, "")
		y += 7.2
	}
	setFont(f, "I", 10.5, colText)
	for _, s := range l.headerMotto {
		f.SetXY(marginX, y)
		f.CellFormat(contentW, 5, s, "", 0, "L", false, 0, "")
		y += 5
	}
	setFont(f, "", 9.5, colMuted)
	for _, s := range l.headerWhen {
		f.SetXY(marginX, y)
		f.CellFormat(contentW, 4.6, s, "", 0, "L", false, 0, "")
		y += 4.6
	}
	y += 2
	f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	f.SetLineWidth(0.5)
	f.Line(marginX+f.GetCellMargin(), y, pageW-marginX-f.GetCellMargin(), y)
}

func (l *participantList) drawTableHead(y float64) {
	f := l.f
	f.SetFillColor(colTint.r, colTint.g, colTint.b)
	f.Rect(marginX, y, contentW, tableHeadH, "F")
	setFont(f, "B", 8.5, colAccent)
	x := marginX
	for _, c := range l.cols {
		f.SetXY(x, y)
		f.CellFormat(c.w, tableHeadH, c.title, "", 0, c.align+"M", false, 0, "")
		x += c.w
	}
}

func (l *participantList) drawItem(p placed) {
	f := l.f
	it, y := p.it, p.y
	switch it.kind {
	case kindHeading:
		setFont(f, "B", 10.5, colAccent)
		y += headingPadTop
		for _, s := range it.lines {
			f.SetXY(marginX, y)
			f.CellFormat(contentW, headingLineH, s, "", 0, "L", false, 0, "")
			y += headingLineH
		}
		f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
		f.SetLineWidth(0.25)
		y += headingPadBot - 0.3
		f.Line(marginX, y, marginX+contentW, y)
	case kindRow:
		if it.shade {
			f.SetFillColor(colShade.r, colShade.g, colShade.b)
			f.Rect(marginX, y, contentW, it.h, "F")
		}
		x := marginX
		for i, c := range l.cols {
			for k, s := range it.cells[i] {
				switch {
				case i == 0:
					setFont(f, "", 9, colMuted)
				case c.labels != nil && it.theme[k]:
					setFont(f, "I", rowThemeSize, colMuted)
				default:
					setFont(f, "", 9, colText)
				}
				f.SetXY(x, y+rowPadV+rowLineH*float64(k))
				f.CellFormat(c.w, rowLineH, s, "", 0, c.align+"M", false, 0, "")
			}
			x += c.w
		}
	case kindGroupTotal:
		f.SetDrawColor(colRule.r, colRule.g, colRule.b)
		f.SetLineWidth(0.2)
		f.Line(marginX, y, marginX+contentW, y)
		setFont(f, "", 8.5, colMuted)
		f.SetXY(marginX, y)
		f.CellFormat(contentW, groupTotalH, it.lines[0], "", 0, "RM", false, 0, "")
	case kindGrandTotal:
		y += 3
		f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
		f.SetLineWidth(0.5)
		f.Line(marginX, y, marginX+contentW, y)
		setFont(f, "B", 10, colText)
		f.SetXY(marginX, y+1)
		f.CellFormat(contentW, grandTotalH-4, it.lines[0], "", 0, "LM", false, 0, "")
	case kindEmpty:
		setFont(f, "I", 9.5, colMuted)
		f.SetXY(marginX, y+3)
		f.CellFormat(contentW, 6, it.lines[0], "", 0, "LM", false, 0, "")
	}
}

func (l *participantList) drawFooter(n, total int) { drawFooter(l.f, l.stand, n, total) }

// drawFooter writes the footer every list shares: a thin rule, the
// Stand on the left and "Seite N von M" on the right.
func drawFooter(f *fpdf.Fpdf, stand string, n, total int) {
	f.SetDrawColor(colRule.r, colRule.g, colRule.b)
	f.SetLineWidth(0.2)
	f.Line(marginX, footerRuleY, marginX+contentW, footerRuleY)
	setFont(f, "", 8, colMuted)
	f.SetXY(marginX, footerRuleY+1)
	f.CellFormat(contentW/2, 5, stand, "", 0, "LM", false, 0, "")
	f.SetXY(marginX+contentW/2, footerRuleY+1)
	f.CellFormat(contentW/2, 5, fmt.Sprintf("Seite %d von %d", n, total), "", 0, "RM", false, 0, "")
}

// wrapEach wraps each entry so that it starts on a line of its own,
// returning at most max lines in all; a cut list ends in "…". Empty
// entries are skipped.
func wrapEach(f *fpdf.Fpdf, g *glyphs, entries []string, w float64, max int) []string {
	var out []string
	for _, e := range entries {
		e = g.clean(e)
		if e == "" {
			continue
		}
		out = append(out, wrap(f, e, w, max)...)
	}
	if len(out) == 0 {
		return []string{""}
	}
	if len(out) > max {
		out = out[:max]
		if !strings.HasSuffix(out[max-1], "…") {
			out[max-1] += "…"
		}
	}
	return out
}
