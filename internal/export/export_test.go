package export_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/export"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

var (
	day1 = day.MustParse("2017-09-13")
	day2 = day.MustParse("2017-09-14")
)

func ptr(v int64) *int64 { return &v }

// afterwards is a week after the sample meeting.
var afterwards = time.Date(2017, 9, 21, 9, 0, 0, 0, time.UTC)

// sample is a two-day meeting with six registrations, given out of
// order: in German order Äbersold, Gast, Öztürk, Ściegienny, Weiß,
// Wójcik-Größel; exported a week after it.
func sample() export.Data {
	registered := time.Date(2017, 8, 1, 12, 5, 0, 0, time.UTC) // 14:05 in Berlin
	return export.Data{
		Event: event.Event{ID: 17, Kind: event.Lernnetzwerktreffen, Number: 17, Days: day.List{day1, day2}},
		Now:   afterwards,
		Municipalities: map[int64]municipality.Municipality{
			1: {ID: 1, Name: "Stadt Köln", Kind: municipality.Stadt},
			2: {ID: 2, Name: "Stadt Übach-Palenberg", Kind: municipality.Stadt},
			3: {ID: 3, Name: "Kreis Unna", Kind: municipality.Kreis},
		},
		Registrations: []registration.Registration{
			{ID: 1, Salutation: "Frau", AcademicTitle: "Dr.", FirstName: "Anna", LastName: "Weiß", Email: "anna.weiss@stadt-koeln.de",
				Phone: "+49 221 123", MunicipalityID: ptr(1), Function: "Jugendamt; Jugendhilfeplanung", Days: day.List{day1, day2},
				Status: registration.Confirmed, PhotoConsent: true, CheckinCode: "K7X2", CreatedAt: registered,
				DietaryNeeds: `vegetarisch, "ohne Nüsse"`},
			{ID: 2, Salutation: "Frau", FirstName: "Małgorzata", LastName: "Wójcik-Größel", MunicipalityID: ptr(2),
				Function: "Koordination Präventionskette", Days: day.List{day2}, Status: registration.Confirmed, WalkIn: true},
			{ID: 3, FirstName: "Şükrü", LastName: "Öztürk", MunicipalityID: ptr(1), Function: "=HYPERLINK(\"http://x\")",
				Status: registration.Waitlisted},
			{ID: 4, Salutation: "Herr", FirstName: "Zdzisław", LastName: "Ściegienny", MunicipalityID: ptr(2),
				Status: registration.Cancelled, Days: day.List{day1}},
			{ID: 5, FirstName: "Björn", LastName: "Äbersold", MunicipalityID: ptr(1), Status: registration.Confirmed},
			{ID: 6, FirstName: "Gerda", LastName: "Gast", Organisation: "Institut für soziale Arbeit e. V.", Status: registration.Confirmed},
		},
		CheckedIn: map[int64]day.List{1: {day2, day1}, 2: {day2}, 6: {day1}},
	}
}

func TestParseColumns(t *testing.T) {
	keys := func(cols []export.Column) []string {
		var out []string
		for _, c := range cols {
			out = append(out, c.Key)
		}
		return out
	}
	for _, in := range [][]string{nil, {}, {"", " "}} {
		cols, err := export.ParseColumns(in)
		if err != nil || len(cols) < 5 {
			t.Errorf("ParseColumns(%q) = %v, %v; want the default set", in, keys(cols), err)
		}
	}
	cols, err := export.ParseColumns([]string{"last_name", " email,first_name ", "last_name", "checked_in"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keys(cols), []string{"last_name", "email", "first_name", "checked_in"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %q, want %q", got, want)
	}
	if cols[0].Header != "Nachname" || cols[1].Header != "E-Mail" {
		t.Errorf("headers %+v", cols)
	}

	_, err = export.ParseColumns([]string{"last_name", "shoe_size"})
	if err == nil || !strings.Contains(err.Error(), "shoe_size") {
		t.Fatalf("unknown column: %v", err)
	}
	if !problem.Is(err, problem.Invalid) {
		t.Errorf("unknown column: code %s, want %s", problem.CodeOf(err), problem.Invalid)
	}

	seen := map[string]bool{}
	for _, c := range export.Columns {
		if seen[c.Key] || c.Header == "" {
			t.Errorf("column %+v repeated or without header", c)
		}
		seen[c.Key] = true
	}
	for _, k := range []string{"salutation", "academic_title", "first_name", "last_name", "email", "phone", "municipality", "organisation", "function", "days", "working_groups", "status", "dietary_needs", "accessibility_needs", "photo_consent", "registered_at", "checked_in", "walk_in", "checkin_code"} {
		if !seen[k] {
			t.Errorf("no column %s", k)
		}
	}
	if len(seen) != 19 {
		t.Errorf("%d columns, want 19", len(seen))
	}
}

func TestCSV(t *testing.T) {
	cols, err := export.ParseColumns([]string{"last_name", "first_name", "municipality", "organisation", "function", "days", "status", "dietary_needs", "phone", "registered_at", "checked_in", "walk_in", "photo_consent"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.CSV(&buf, sample(), cols); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\xEF\xBB\xBF") {
		t.Fatalf("no byte order mark: %q", raw[:10])
	}
	body := strings.TrimPrefix(raw, "\xEF\xBB\xBF")
	if !strings.HasSuffix(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
		t.Error("lines do not end in CRLF")
	}
	header := "Nachname;Vorname;Kommune;Organisation;Funktion;Angemeldete Tage;Status;Verpflegung;Telefon;Angemeldet am;Anwesend (Check-in);Vor Ort angemeldet;Fotoeinwilligung\r\n"
	if !strings.HasPrefix(body, header) {
		t.Errorf("header:\n%q\nwant\n%q", body[:len(header)], header)
	}
	// Fields with ";" or quotes are quoted, quotes doubled.
	for _, want := range []string{`;"Jugendamt; Jugendhilfeplanung";`, `;"vegetarisch, ""ohne Nüsse""";`} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %s in\n%s", want, body)
		}
	}

	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Äbersold", "Björn", "Stadt Köln", "", "", "13.09.2017, 14.09.2017", "Bestätigt", "", "", "", "", "nein", "nein"},
		{"Gast", "Gerda", "", "Institut für soziale Arbeit e. V.", "", "13.09.2017, 14.09.2017", "Bestätigt", "", "", "", "13.09.2017", "nein", "nein"},
		{"Öztürk", "Şükrü", "Stadt Köln", "", `'=HYPERLINK("http://x")`, "13.09.2017, 14.09.2017", "Warteliste", "", "", "", "", "nein", "nein"},
		{"Ściegienny", "Zdzisław", "Stadt Übach-Palenberg", "", "", "13.09.2017", "Storniert", "", "", "", "", "nein", "nein"},
		{"Weiß", "Anna", "Stadt Köln", "", "Jugendamt; Jugendhilfeplanung", "13.09.2017, 14.09.2017", "Bestätigt", `vegetarisch, "ohne Nüsse"`, "'+49 221 123", "01.08.2017 14:05", "13.09.2017, 14.09.2017", "nein", "ja"},
		{"Wójcik-Größel", "Małgorzata", "Stadt Übach-Palenberg", "", "Koordination Präventionskette", "14.09.2017", "Bestätigt", "", "", "", "14.09.2017", "ja", "nein"},
	}
	if len(records) != len(want)+1 {
		t.Fatalf("%d records, want %d", len(records), len(want)+1)
	}
	for i, w := range want {
		if !reflect.DeepEqual(records[i+1], w) {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, records[i+1], w)
		}
	}
}

func TestCSVDefaultColumns(t *testing.T) {
	var buf bytes.Buffer
	if err := export.CSV(&buf, sample(), nil); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(buf.String(), "\uFEFF"), "\r\n")
	if !strings.Contains(first, "Nachname") || !strings.Contains(first, "Kommune") || strings.Contains(first, "Check-in-Code") {
		t.Errorf("default header %q", first)
	}
}

func TestXLSX(t *testing.T) {
	cols, err := export.ParseColumns([]string{"salutation", "first_name", "last_name", "municipality", "function", "registered_at", "checked_in", "checkin_code"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.XLSX(&buf, sample(), cols); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open the workbook again: %v", err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Anmeldungen", "Kommunen"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}

	rows, err := f.GetRows("Anmeldungen")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"Anrede", "Vorname", "Nachname", "Kommune", "Funktion", "Angemeldet am", "Anwesend (Check-in)", "Check-in-Code"}
	if !reflect.DeepEqual(rows[0], wantHeader) {
		t.Errorf("header %q, want %q", rows[0], wantHeader)
	}
	var names []string
	for _, r := range rows[1:] {
		names = append(names, r[2])
	}
	if want := []string{"Äbersold", "Gast", "Öztürk", "Ściegienny", "Weiß", "Wójcik-Größel"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	// Text stays text: a formula typed into a form is not one in the workbook.
	for cell, want := range map[string]string{
		"B3": "Gerda", "B5": "Zdzisław", "C7": "Wójcik-Größel", "D7": "Stadt Übach-Palenberg",
		"E4": `=HYPERLINK("http://x")`, "G6": "13.09.2017, 14.09.2017", "H6": "K7X2",
	} {
		if got, err := f.GetCellValue("Anmeldungen", cell); err != nil || got != want {
			t.Errorf("%s = %q, %v; want %q", cell, got, err, want)
		}
	}
	if formula, _ := f.GetCellFormula("Anmeldungen", "E4"); formula != "" {
		t.Errorf("E4 holds the formula %q", formula)
	}
	// The time of registration is a date cell showing Berlin time.
	if got, _ := f.GetCellValue("Anmeldungen", "F6"); got != "01.08.2017 14:05" {
		t.Errorf("F6 = %q, want 01.08.2017 14:05", got)
	}
	if typ, _ := f.GetCellType("Anmeldungen", "F6"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("F6 is text, not a date")
	}

	for _, sheet := range []string{"Anmeldungen", "Kommunen"} {
		id, err := f.GetCellStyle(sheet, "B1")
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(id)
		if err != nil || style.Font == nil || !style.Font.Bold {
			t.Errorf("%s: header not bold: %+v, %v", sheet, style, err)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header row not frozen: %+v, %v", sheet, panes, err)
		}
		if w, _ := f.GetColWidth(sheet, "A"); w < 8 || w > 62 {
			t.Errorf("%s: column A is %.1f wide", sheet, w)
		}
	}
	filters := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" {
			filters[n.Scope] = n.RefersTo
		}
	}
	if got := filters["Anmeldungen"]; got != "'Anmeldungen'!$A$1:$H$7" && got != "Anmeldungen!$A$1:$H$7" {
		t.Errorf("filter on Anmeldungen: %q (all: %v)", got, filters)
	}
	if w, _ := f.GetColWidth("Anmeldungen", "D"); w < float64(len("Stadt Übach-Palenberg")) {
		t.Errorf("column Kommune is %.1f wide, too narrow for its names", w)
	}

	stats, err := f.GetRows("Kommunen")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Kommune/Organisation", "Anmeldungen", "Bestätigt", "Warteliste", "Storniert", "Anwesend", "Nicht erschienen"},
		{"Institut für soziale Arbeit e. V.", "1", "1", "0", "0", "1", "0"},
		{"Stadt Köln", "3", "2", "1", "0", "1", "1"},
		{"Stadt Übach-Palenberg", "2", "1", "0", "1", "1", "0"},
		{"Gesamt", "6", "4", "1", "1", "3", "1"},
	}
	if !reflect.DeepEqual(stats, want) {
		t.Errorf("Kommunen:\n got %q\nwant %q", stats, want)
	}
}

// TestNotCheckedInByDate names confirmed people without a check-in
// "noch offen" until the meeting's last day is over in Berlin, then
// "Nicht erschienen", in the workbook and by NotCheckedInHeader.
func TestNotCheckedInByDate(t *testing.T) {
	berlin := day.Location()
	for _, tc := range []struct {
		name string
		now  time.Time
		want string
	}{
		{"a month before", time.Date(2017, 8, 13, 12, 0, 0, 0, berlin), "noch offen"},
		{"on the first day", time.Date(2017, 9, 13, 8, 0, 0, 0, berlin), "noch offen"},
		{"late on the last day", time.Date(2017, 9, 14, 23, 59, 0, 0, berlin), "noch offen"},
		// 23:30 UTC on the 14th is already the 15th in Berlin.
		{"just after midnight in Berlin", time.Date(2017, 9, 14, 22, 30, 0, 0, time.UTC), "Nicht erschienen"},
		{"a week after", afterwards, "Nicht erschienen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := sample()
			d.Now = tc.now
			if got := export.NotCheckedInHeader(d.Event, d.Now); got != tc.want {
				t.Errorf("NotCheckedInHeader = %q, want %q", got, tc.want)
			}
			var buf bytes.Buffer
			if err := export.XLSX(&buf, d, nil); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			stats, err := f.GetRows("Kommunen")
			if err != nil {
				t.Fatal(err)
			}
			// The figure stays the same; only what it is called changes.
			if got := stats[0][6]; got != tc.want {
				t.Errorf("header of the last column %q, want %q", got, tc.want)
			}
			if got := stats[len(stats)-1]; got[0] != "Gesamt" || got[6] != "1" {
				t.Errorf("total row %q, want 1 confirmed without check-in", got)
			}
			if tc.want == "noch offen" && strings.Contains(strings.Join(stats[0], "|"), "erschienen") {
				t.Errorf("header before the end: %q", stats[0])
			}
		})
	}
}

func TestXLSXEmpty(t *testing.T) {
	var buf bytes.Buffer
	d := sample()
	d.Registrations = nil
	if err := export.XLSX(&buf, d, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Anmeldungen")
	if len(rows) != 1 {
		t.Errorf("%d rows, want the header only", len(rows))
	}
	stats, _ := f.GetRows("Kommunen")
	if len(stats) != 2 || stats[1][0] != "Gesamt" || stats[1][1] != "0" {
		t.Errorf("Kommunen: %q", stats)
	}
}

func TestMunicipalityStats(t *testing.T) {
	d := sample()
	// Another guest of the same organisation, spelled with extra spaces,
	// one without any body, and one naming an unknown municipality.
	d.Registrations = append(d.Registrations,
		registration.Registration{ID: 7, FirstName: "Ingo", LastName: "Institut", Organisation: " Institut für  soziale Arbeit e. V.", Status: registration.Confirmed},
		registration.Registration{ID: 8, FirstName: "Olga", LastName: "Ohne", Status: registration.Confirmed},
		registration.Registration{ID: 9, FirstName: "Udo", LastName: "Unbekannt", MunicipalityID: ptr(99), Status: registration.Waitlisted},
	)
	d.CheckedIn[7] = day.List{day2}
	d.CheckedIn[4] = day.List{day1} // cancelled, yet checked in: not an attendee
	got := export.MunicipalityStats(d)
	want := []export.MunicipalityRow{
		{Name: "Institut für soziale Arbeit e. V.", Registered: 2, Confirmed: 2, Attended: 2},
		{Name: "Stadt Köln", Registered: 3, Confirmed: 2, Waitlisted: 1, Attended: 1, NotCheckedIn: 1},
		{Name: "Stadt Übach-Palenberg", Registered: 2, Confirmed: 1, Cancelled: 1, Attended: 1},
		{Name: "Ohne Kommune", Registered: 2, Confirmed: 1, Waitlisted: 1, NotCheckedIn: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stats:\n got %+v\nwant %+v", got, want)
	}
	for _, r := range got {
		if r.Registered != r.Confirmed+r.Waitlisted+r.Cancelled || r.Confirmed != r.Attended+r.NotCheckedIn {
			t.Errorf("%s does not add up: %+v", r.Name, r)
		}
	}
	if rows := export.MunicipalityStats(export.Data{}); len(rows) != 0 {
		t.Errorf("no registrations: %v", rows)
	}
}

// TestMunicipalityStatsPlaceOrder orders the rows by place, as the pages
// do (municipality.SortKey): Stadt Köln after Kreis Coesfeld and before
// Kreis Warendorf, not after all the Kreise.
func TestMunicipalityStatsPlaceOrder(t *testing.T) {
	d := export.Data{Municipalities: map[int64]municipality.Municipality{
		1: {ID: 1, Name: "Stadt Köln", Kind: municipality.Stadt},
		2: {ID: 2, Name: "Kreis Warendorf", Kind: municipality.Kreis},
		3: {ID: 3, Name: "Kreis Coesfeld", Kind: municipality.Kreis},
		4: {ID: 4, Name: "Stadt Ahlen", Kind: municipality.Stadt},
	}}
	for id := int64(1); id <= 4; id++ {
		d.Registrations = append(d.Registrations, registration.Registration{ID: id, MunicipalityID: ptr(id), Status: registration.Confirmed})
	}
	d.Registrations = append(d.Registrations, registration.Registration{ID: 5, Organisation: "Jugendamt Hamm", Status: registration.Confirmed})
	var got []string
	for _, r := range export.MunicipalityStats(d) {
		got = append(got, r.Name)
	}
	want := []string{"Stadt Ahlen", "Kreis Coesfeld", "Jugendamt Hamm", "Stadt Köln", "Kreis Warendorf"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
}

// failWriter fails after n bytes.
type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return w.n, fmt.Errorf("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	if err := export.CSV(&failWriter{n: 0}, sample(), nil); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("CSV: %v", err)
	}
	if err := export.CSV(&failWriter{n: 10}, sample(), nil); err == nil {
		t.Error("CSV: no error when the writer fails")
	}
	if err := export.XLSX(&failWriter{n: 100}, sample(), nil); err == nil {
		t.Error("XLSX: no error when the writer fails")
	}
}

// withWorkingGroups gives the sample meeting working groups: one slot on
// each day, Weiß in a group in both, Wójcik-Größel on the second day
// only, and the cancelled Ściegienny still listed from before.
func withWorkingGroups(d export.Data, slots int) export.Data {
	d.Slots = []workinggroup.Slot{{ID: 20, Day: day2, StartsAt: "10:00"}, {ID: 10, Day: day1, StartsAt: "14:00"}}[2-slots:]
	d.Groups = []workinggroup.Group{{ID: 1, SlotID: 10, Title: "Kommunale Steuerung"}, {ID: 2, SlotID: 10, Title: "Zugänge erleichtern"},
		{ID: 3, SlotID: 20, Title: "(Bildungs-)Übergänge"}}
	for _, a := range []workinggroup.Assignment{{RegistrationID: 1, SlotID: 10, WorkingGroupID: 2}, {RegistrationID: 1, SlotID: 20, WorkingGroupID: 3},
		{RegistrationID: 2, SlotID: 20, WorkingGroupID: 3}, {RegistrationID: 4, SlotID: 10, WorkingGroupID: 1}} {
		for _, sl := range d.Slots {
			if sl.ID == a.SlotID {
				d.Assignments = append(d.Assignments, a)
			}
		}
	}
	return d
}

func TestWorkingGroupsColumn(t *testing.T) {
	cols, err := export.ParseColumns([]string{"last_name", "working_groups"})
	if err != nil {
		t.Fatal(err)
	}
	rows := func(d export.Data) string {
		var buf bytes.Buffer
		if err := export.CSV(&buf, d, cols); err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(buf.String(), "\uFEFF")
	}
	// Several slots: each named by day and time, in time order, the
	// field quoted for its ";"; nobody cancelled keeps a group.
	want := "Nachname;Arbeitsgruppen\r\nÄbersold;\r\nGast;\r\nÖztürk;\r\nŚciegienny;\r\n" +
		"Weiß;\"13.09.2017, 14:00 Uhr: Zugänge erleichtern; 14.09.2017, 10:00 Uhr: (Bildungs-)Übergänge\"\r\n" +
		"Wójcik-Größel;14.09.2017, 10:00 Uhr: (Bildungs-)Übergänge\r\n"
	if got := rows(withWorkingGroups(sample(), 2)); got != want {
		t.Errorf("two slots:\n%s\nwant\n%s", got, want)
	}
	// One slot: the title alone.
	if got := rows(withWorkingGroups(sample(), 1)); !strings.Contains(got, "Weiß;Zugänge erleichtern\r\nWójcik-Größel;\r\n") {
		t.Errorf("one slot:\n%s", got)
	}
	// No working groups: an empty column.
	if got := rows(sample()); !strings.Contains(got, "Weiß;\r\n") {
		t.Errorf("no groups:\n%s", got)
	}

	var buf bytes.Buffer
	if err := export.XLSX(&buf, withWorkingGroups(sample(), 2), cols); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head, _ := f.GetCellValue("Anmeldungen", "B1")
	weiss, _ := f.GetCellValue("Anmeldungen", "B6")
	if head != "Arbeitsgruppen" || weiss != "13.09.2017, 14:00 Uhr: Zugänge erleichtern; 14.09.2017, 10:00 Uhr: (Bildungs-)Übergänge" {
		t.Errorf("XLSX: %q, %q", head, weiss)
	}
}
