// Package export writes a meeting's registrations as tables for
// spreadsheets: CSV as German Excel reads it, and XLSX with a second
// sheet of figures per municipality. Organisers choose the columns.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// Column is one column an organiser can choose.
type Column struct {
	Key    string // as in forms and URLs: "last_name"
	Header string // German, the table's first row: "Nachname"
}

// Columns lists every column in the order the form offers them.
var Columns = []Column{
	{"salutation", "Anrede"},
	{"academic_title", "Titel"},
	{"first_name", "Vorname"},
	{"last_name", "Nachname"},
	{"email", "E-Mail"},
	{"phone", "Telefon"},
	{"municipality", "Kommune"},
	{"organisation", "Organisation"},
	{"function", "Funktion"},
	{"days", "Angemeldete Tage"},
	{"working_groups", "Arbeitsgruppen"},
	{"status", "Status"},
	{"dietary_needs", "Verpflegung"},
	{"accessibility_needs", "Barrierefreiheit"},
	{"photo_consent", "Fotoeinwilligung"},
	{"registered_at", "Angemeldet am"},
	{"checked_in", "Anwesend (Check-in)"},
	{"walk_in", "Vor Ort angemeldet"},
	{"checkin_code", "Check-in-Code"},
}

// defaultKeys are the columns of an export nobody chose columns for.
var defaultKeys = []string{"salutation", "academic_title", "first_name", "last_name", "municipality", "organisation", "function", "email", "days", "status"}

// ParseColumns returns the columns for keys in the order given; a key
// may also hold several separated by commas, as a query parameter does.
// Repeated keys count once. No keys give a default set; an unknown key
// is an error that names it.
func ParseColumns(keys []string) ([]Column, error) {
	byKey := make(map[string]Column, len(Columns))
	for _, c := range Columns {
		byKey[c.Key] = c
	}
	var cols []Column
	seen := map[string]bool{}
	for _, k := range keys {
		for _, part := range strings.Split(k, ",") {
			part = strings.TrimSpace(part)
			if part == "" || seen[part] {
				continue
			}
			c, ok := byKey[part]
			if !ok {
				msg := fmt.Sprintf("Unbekannte Spalte „%s“.", part)
				return nil, &problem.Error{Code: problem.Invalid, Message: msg, Fields: map[string]string{"columns": msg}}
			}
			seen[part] = true
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return defaultColumns(), nil
	}
	return cols, nil
}

func defaultColumns() []Column {
	cols, _ := ParseColumns(defaultKeys)
	return cols
}

// participantKeys are what hosts see of the participants on their page
// and in the printed participant list; no phone, no check-in code.
var participantKeys = []string{"academic_title", "first_name", "last_name", "municipality", "organisation", "function", "days",
	"email", "working_groups", "dietary_needs", "accessibility_needs"}

// ParticipantColumns are the columns of the participant list as hosts
// export it (the answers to the meeting's questions follow them).
func ParticipantColumns() []Column {
	cols, _ := ParseColumns(participantKeys)
	return cols
}

// Data is what an export reads: a meeting, its registrations, the
// municipalities they name, the days each registration was checked in,
// by registration ID, and the meeting's working groups with who is in
// which.
type Data struct {
	Event event.Event
	// Now is when the export is made: whether the meeting is over by
	// then tells no-shows from people who may still come.
	Now            time.Time
	Registrations  []registration.Registration
	Municipalities map[int64]municipality.Municipality
	CheckedIn      map[int64]day.List
	Slots          []workinggroup.Slot
	Groups         []workinggroup.Group
	Assignments    []workinggroup.Assignment
	// Answers to the meeting's questions: one column each, after the
	// chosen columns.
	Answers question.Sheet

	groupLabels map[int64]string // by registration, built on first use
}

// dateTimeLayout is how times are written as text.
const dateTimeLayout = "02.01.2006 15:04"

// value is one cell: text, or a time when at is set.
type value struct {
	text string
	at   time.Time // Berlin wall clock
}

// cell returns the value of column key for r.
func (d *Data) cell(key string, r *registration.Registration) value {
	if v, ok := d.answerCell(key, r.ID); ok {
		return v
	}
	yesNo := func(b bool) value {
		if b {
			return value{text: "ja"}
		}
		return value{text: "nein"}
	}
	switch key {
	case "salutation":
		return value{text: r.Salutation}
	case "academic_title":
		return value{text: r.AcademicTitle}
	case "first_name":
		return value{text: r.FirstName}
	case "last_name":
		return value{text: r.LastName}
	case "email":
		return value{text: r.Email}
	case "phone":
		return value{text: r.Phone}
	case "municipality":
		if r.MunicipalityID != nil {
			return value{text: d.Municipalities[*r.MunicipalityID].Name}
		}
		return value{}
	case "organisation":
		return value{text: r.Organisation}
	case "function":
		return value{text: r.Function}
	case "days":
		return value{text: germanDates(d.registeredDays(r))}
	case "working_groups":
		if r.Status != registration.Confirmed {
			return value{} // a cancelled person's old place is no longer theirs
		}
		return value{text: d.workingGroups()[r.ID]}
	case "status":
		return value{text: r.Status.Label()}
	case "dietary_needs":
		return value{text: r.DietaryNeeds}
	case "accessibility_needs":
		return value{text: r.AccessibilityNeeds}
	case "photo_consent":
		return yesNo(r.PhotoConsent)
	case "registered_at":
		if r.CreatedAt.IsZero() {
			return value{}
		}
		t := r.CreatedAt.In(day.Location())
		return value{text: t.Format(dateTimeLayout), at: t}
	case "checked_in":
		return value{text: germanDates(d.CheckedIn[r.ID].Normalize())}
	case "walk_in":
		return yesNo(r.WalkIn)
	case "checkin_code":
		return value{text: r.CheckinCode}
	}
	return value{}
}

// workingGroups names each registration's groups in slot order: the
// title alone when the meeting has one slot, else "14:00 Uhr: Title;
// 16:00 Uhr: Title" (with the day when the slots are on several days).
func (d *Data) workingGroups() map[int64]string {
	if d.groupLabels != nil {
		return d.groupLabels
	}
	d.groupLabels = map[int64]string{}
	slots := append([]workinggroup.Slot(nil), d.Slots...)
	sort.SliceStable(slots, func(i, j int) bool {
		if slots[i].Day != slots[j].Day {
			return slots[i].Day.Before(slots[j].Day)
		}
		return slots[i].StartsAt < slots[j].StartsAt
	})
	titles := make(map[int64]string, len(d.Groups))
	for _, g := range d.Groups {
		titles[g.ID] = g.Title
	}
	inSlot := map[[2]int64]int64{} // registration, slot → group
	for _, a := range d.Assignments {
		inSlot[[2]int64{a.RegistrationID, a.SlotID}] = a.WorkingGroupID
	}
	oneDay := true
	for _, sl := range slots {
		oneDay = oneDay && sl.Day == slots[0].Day
	}
	for _, r := range d.Registrations {
		var parts []string
		for _, sl := range slots {
			g, ok := inSlot[[2]int64{r.ID, sl.ID}]
			switch {
			case !ok:
			case len(slots) == 1:
				parts = append(parts, titles[g])
			case oneDay:
				parts = append(parts, sl.StartsAt+" Uhr: "+titles[g])
			default:
				parts = append(parts, sl.Day.German()+", "+sl.StartsAt+" Uhr: "+titles[g])
			}
		}
		d.groupLabels[r.ID] = strings.Join(parts, "; ")
	}
	return d.groupLabels
}

// registeredDays are the meeting days r registered for; none, or none of
// the meeting's, means all of them, as the registration form
// preselects them.
func (d *Data) registeredDays(r *registration.Registration) day.List {
	meeting := d.Event.Days.Normalize()
	var out day.List
	for _, x := range r.Days.Normalize() {
		if meeting.Contains(x) || len(meeting) == 0 {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return meeting
	}
	return out
}

// germanDates is "13.09.2017, 14.09.2017".
func germanDates(l day.List) string {
	parts := make([]string, len(l))
	for i, x := range l {
		parts[i] = x.German()
	}
	return strings.Join(parts, ", ")
}

// sorted returns the registrations by last name, first name (German
// order), then registration.
func (d *Data) sorted() []*registration.Registration {
	type keyed struct {
		r           *registration.Registration
		last, first string
	}
	rows := make([]keyed, len(d.Registrations))
	for i := range d.Registrations {
		r := &d.Registrations[i]
		rows[i] = keyed{r, collate.Key(r.LastName), collate.Key(r.FirstName)}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch {
		case a.last != b.last:
			return a.last < b.last
		case a.first != b.first:
			return a.first < b.first
		}
		return a.r.ID < b.r.ID
	})
	out := make([]*registration.Registration, len(rows))
	for i, k := range rows {
		out[i] = k.r
	}
	return out
}

// CSV writes the registrations, sorted by name, with the chosen columns
// (the default set when none) as Excel in Germany opens it by double
// click: UTF-8 with a byte order mark, ";" between fields, CRLF line
// ends and a header row. Fields holding ";", quotes or line breaks are
// quoted. A field that starts like a formula (=, +, -, @) gets a leading
// apostrophe so that a spreadsheet shows it as text instead of running
// it.
func CSV(w io.Writer, d Data, cols []Column) error {
	if len(cols) == 0 {
		cols = defaultColumns()
	}
	cols = d.withQuestions(cols)
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write CSV of %s: %w", d.Event.Name(), err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	record := make([]string, len(cols))
	for i, c := range cols {
		record[i] = c.Header
	}
	if err := cw.Write(record); err != nil {
		return fmt.Errorf("write CSV of %s: %w", d.Event.Name(), err)
	}
	for _, r := range d.sorted() {
		for i, c := range cols {
			record[i] = defuse(d.cell(c.Key, r).text)
		}
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("write CSV of %s: %w", d.Event.Name(), err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV of %s: %w", d.Event.Name(), err)
	}
	return nil
}

// defuse keeps a spreadsheet from reading user text as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Sheet names of the workbook.
const (
	sheetRegistrations  = "Anmeldungen"
	sheetMunicipalities = "Kommunen"
)

// XLSX writes the registrations, sorted by name, with the chosen columns
// (the default set when none) as an Excel workbook: the sheet
// "Anmeldungen" with a bold header row that stays in view and filters,
// and the sheet "Kommunen" with MunicipalityStats and their total. Text
// is stored as text, never as a formula; the time of registration is a
// date cell.
func XLSX(w io.Writer, d Data, cols []Column) error {
	if len(cols) == 0 {
		cols = defaultColumns()
	}
	cols = d.withQuestions(cols)
	f := excelize.NewFile()
	defer f.Close()
	if err := writeWorkbook(f, &d, cols); err != nil {
		return fmt.Errorf("write XLSX of %s: %w", d.Event.Name(), err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write XLSX of %s: %w", d.Event.Name(), err)
	}
	return nil
}

// styles are the cell styles of the workbook.
type styles struct {
	header, dateTime, total int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	border := []excelize.Border{{Type: "bottom", Color: "1F4E79", Style: 1}}
	s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "1F4E79"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E2EAF3"}},
		Border:    border,
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		return s, err
	}
	format := "dd.mm.yyyy hh:mm"
	s.dateTime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &format, Alignment: &excelize.Alignment{Horizontal: "left"}})
	if err != nil {
		return s, err
	}
	s.total, err = f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Border: []excelize.Border{{Type: "top", Color: "1F4E79", Style: 1}},
	})
	return s, err
}

func writeWorkbook(f *excelize.File, d *Data, cols []Column) error {
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName(f.GetSheetName(0), sheetRegistrations); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    "Anmeldungen – " + d.Event.Name(),
		Creator:  "treffen",
		Language: "de-DE",
	}); err != nil {
		return err
	}

	// Anmeldungen.
	widths := make([]int, len(cols))
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.Header
		widths[i] = utf8.RuneCountInString(c.Header) + 3 // room for the filter button
	}
	if err := f.SetSheetRow(sheetRegistrations, "A1", &header); err != nil {
		return err
	}
	row := 1
	for _, r := range d.sorted() {
		row++
		for i, c := range cols {
			ref, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return err
			}
			v := d.cell(c.Key, r)
			widths[i] = max(widths[i], utf8.RuneCountInString(v.text))
			if !v.at.IsZero() {
				// excelize counts from the instant; give it the wall clock.
				t := v.at
				wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
				if err := f.SetCellValue(sheetRegistrations, ref, wall); err != nil {
					return err
				}
				if err := f.SetCellStyle(sheetRegistrations, ref, ref, st.dateTime); err != nil {
					return err
				}
				continue
			}
			if err := f.SetCellStr(sheetRegistrations, ref, v.text); err != nil {
				return err
			}
		}
	}
	if err := finishTable(f, sheetRegistrations, len(cols), row, widths, st.header); err != nil {
		return err
	}

	// Kommunen.
	if _, err := f.NewSheet(sheetMunicipalities); err != nil {
		return err
	}
	statsHeader := []any{"Kommune/Organisation", "Anmeldungen", "Bestätigt", "Warteliste", "Storniert", "Anwesend", NotCheckedInHeader(d.Event, d.Now)}
	if err := f.SetSheetRow(sheetMunicipalities, "A1", &statsHeader); err != nil {
		return err
	}
	widths = []int{len("Kommune/Organisation") + 3, 14, 12, 13, 12, 12, 19}
	var total MunicipalityRow
	row = 1
	for _, m := range MunicipalityStats(*d) {
		row++
		widths[0] = max(widths[0], utf8.RuneCountInString(m.Name))
		if err := setStatsRow(f, row, m); err != nil {
			return err
		}
		total.Registered += m.Registered
		total.Confirmed += m.Confirmed
		total.Waitlisted += m.Waitlisted
		total.Cancelled += m.Cancelled
		total.Attended += m.Attended
		total.NotCheckedIn += m.NotCheckedIn
	}
	if err := finishTable(f, sheetMunicipalities, len(statsHeader), row, widths, st.header); err != nil {
		return err
	}
	row++
	total.Name = "Gesamt"
	if err := setStatsRow(f, row, total); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(statsHeader), row)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheetMunicipalities, "A"+strconv.Itoa(row), last, st.total); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

func setStatsRow(f *excelize.File, row int, m MunicipalityRow) error {
	values := []any{m.Name, m.Registered, m.Confirmed, m.Waitlisted, m.Cancelled, m.Attended, m.NotCheckedIn}
	return f.SetSheetRow(sheetMunicipalities, "A"+strconv.Itoa(row), &values)
}

// finishTable styles the header row of a table of n columns and rows
// rows (the header included), keeps it in view, adds filters over the
// table and sets the widths, in characters, within sensible bounds.
func finishTable(f *excelize.File, sheet string, n, rows int, widths []int, headerStyle int) error {
	lastHead, err := excelize.CoordinatesToCellName(n, 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", lastHead, headerStyle); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 20); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	lastCell, err := excelize.CoordinatesToCellName(n, max(rows, 2))
	if err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A1:"+lastCell, nil); err != nil {
		return err
	}
	for i, w := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, float64(min(max(w+2, 8), 60))); err != nil {
			return err
		}
	}
	return nil
}

// MunicipalityRow counts the registrations of one municipality, or of
// one organisation for guests without a municipality.
type MunicipalityRow struct {
	Name       string
	Registered int // all registrations, whatever their status
	Confirmed  int
	Waitlisted int
	Cancelled  int
	Attended   int // confirmed and checked in on at least one day
	// NotCheckedIn are confirmed without any check-in: no-shows once
	// the meeting is over, still expected before and during it (see
	// NotCheckedInHeader).
	NotCheckedIn int
}

// NotCheckedInHeader names the figure of confirmed people without a
// check-in at now: "Nicht erschienen" once every day of ev is over in
// Berlin, "noch offen" before and during the meeting, when they may
// still come.
func NotCheckedInHeader(ev event.Event, now time.Time) string {
	if ev.IsPast(now) {
		return "Nicht erschienen"
	}
	return "noch offen"
}

// withoutMunicipality names the row of registrations with neither a
// municipality nor an organisation.
const withoutMunicipality = "Ohne Kommune"

// MunicipalityStats counts the registrations per municipality, with
// guests counted by the organisation they gave. Rows are sorted by place
// in German order as every list is (municipality.SortKey: "Kreis
// Coesfeld" among the C), "Ohne Kommune" last; only municipalities with
// a registration appear.
func MunicipalityStats(d Data) []MunicipalityRow {
	type group struct {
		row  MunicipalityRow
		sort string
	}
	byKey := map[string]*group{}
	var groups []*group
	for i := range d.Registrations {
		r := &d.Registrations[i]
		key, name, sortKey := "", withoutMunicipality, "\uffff"
		var m municipality.Municipality
		found := false
		if r.MunicipalityID != nil {
			m, found = d.Municipalities[*r.MunicipalityID]
		}
		if found {
			key, name, sortKey = "m"+strconv.FormatInt(*r.MunicipalityID, 10), m.Name, municipality.SortKey(m.Name)
		} else if org := strings.Join(strings.Fields(r.Organisation), " "); org != "" {
			key, name, sortKey = "o"+collate.Key(org), org, municipality.SortKey(org)
		}
		g, ok := byKey[key]
		if !ok {
			g = &group{row: MunicipalityRow{Name: name}, sort: sortKey}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.row.Registered++
		switch r.Status {
		case registration.Confirmed:
			g.row.Confirmed++
			if len(d.CheckedIn[r.ID]) > 0 {
				g.row.Attended++
			} else {
				g.row.NotCheckedIn++
			}
		case registration.Waitlisted:
			g.row.Waitlisted++
		case registration.Cancelled:
			g.row.Cancelled++
		}
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].sort != groups[j].sort {
			return groups[i].sort < groups[j].sort
		}
		return groups[i].row.Name < groups[j].row.Name
	})
	rows := make([]MunicipalityRow, len(groups))
	for i, g := range groups {
		rows[i] = g.row
	}
	return rows
}
