package document_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
)

var (
	sigDay1 = day.MustParse("2017-09-13")
	sigDay2 = day.MustParse("2017-09-14")
)

// sigMeeting is a two-day meeting in Köln, 10:00–16:00.
func sigMeeting() *event.Event {
	return &event.Event{
		ID:        17,
		Kind:      event.Lernnetzwerktreffen,
		Number:    17,
		Motto:     "Wir wollen die Prävention stärken!",
		Days:      day.List{sigDay1, sigDay2},
		StartTime: "10:00",
		EndTime:   "16:00",
		VenueName: "Gürzenich",
		VenueCity: "Köln",
		Organiser: "Institut für Soziale Arbeit e.V. (ISA)",
		Status:    event.Held,
	}
}

var sigMunicipalities = map[int64]municipality.Municipality{
	1: {ID: 1, Name: "Stadt Köln", Kind: municipality.Stadt},
	2: {ID: 2, Name: "Stadt Übach-Palenberg", Kind: municipality.Stadt},
}

// sigPerson is a registration of meeting 17 in municipality mun (0: the
// organisation org) for days (none: all days).
func sigPerson(id, mun int64, org, salutation, title, first, last, function string, status registration.Status, days ...day.Date) registration.Registration {
	r := registration.Registration{
		ID: id, EventID: 17, Salutation: salutation, AcademicTitle: title,
		FirstName: first, LastName: last, Organisation: org, Function: function,
		Status: status, Days: days,
	}
	if mun != 0 {
		r.MunicipalityID = &mun
	}
	return r
}

// sigRegistrations are given out of order; who attends which day:
//
//	day 1: Äbersold, Öztürk, Ściegienny, Weiß
//	day 2: Äbersold, Peters, Ściegienny, Weiß
func sigRegistrations() []registration.Registration {
	c := registration.Confirmed
	return []registration.Registration{
		sigPerson(1, 1, "", "Frau", "Dr.", "Anna", "Weiß", "Jugendamt, Jugendhilfeplanung", c, sigDay1, sigDay2),
		sigPerson(2, 2, "", "Herr", "", "Zdzisław", "Ściegienny", "Sozialamt", c),
		sigPerson(3, 1, "", "", "", "Şükrü", "Öztürk", "Schulamt", c, sigDay1),
		sigPerson(4, 0, "Institut für soziale Arbeit e. V.", "Herr", "", "Paul", "Peters", "Referent", c, sigDay2),
		sigPerson(5, 1, "", "Herr", "", "Björn", "Äbersold", "Kita-Fachberatung", c),
		sigPerson(6, 1, "", "Frau", "", "Wilma", "Wartend", "Jugendamt", registration.Waitlisted),
		sigPerson(7, 2, "", "Herr", "", "Stefan", "Storno", "Jugendamt", registration.Cancelled, sigDay1),
	}
}

func renderSignatureList(t *testing.T, ev *event.Event, regs []registration.Registration, d day.Date) string {
	t.Helper()
	var buf bytes.Buffer
	if err := document.SignatureList(&buf, ev, nil, regs, sigMunicipalities, d, generatedAt); err != nil {
		t.Fatalf("SignatureList: %v", err)
	}
	return writePDF(t, buf.Bytes())
}

// pdfPageTexts is the text of each page.
func pdfPageTexts(t *testing.T, path string) []string {
	t.Helper()
	pages := strings.Split(pdfText(t, path), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

var sigNameRE = regexp.MustCompile(`(?m)^\s*\d+\s+(\S.*?,\s?\S.*?)\s{2,}`)

var sigBlankRE = regexp.MustCompile(`(?m)^\s*(\d+)\s*$`)

// sigBlankRows lists the numbers of the rows without a name: the blank
// rows for people who come without registration.
func sigBlankRows(text string) []int {
	var nrs []int
	for _, m := range sigBlankRE.FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		nrs = append(nrs, n)
	}
	return nrs
}

// sigNames lists the names of the table in order.
func sigNames(text string) []string {
	var names []string
	for _, m := range sigNameRE.FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestSignatureListOneDay(t *testing.T) {
	path := renderSignatureList(t, sigMeeting(), sigRegistrations(), sigDay1)
	pages := pdfPageTexts(t, path)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	text := pages[0]
	inOrder(t, text,
		"UNTERSCHRIFTENLISTE · TAG 1 VON 2",
		"17. Lernnetzwerktreffen",
		"Mittwoch, 13. September 2017 · 10:00–16:00 Uhr",
		"Gürzenich, Köln",
		"Nr.", "Name", "Kommune/Organisation", "Funktion", "Unterschrift",
		"Äbersold, Björn", "Öztürk, Şükrü", "Ściegienny, Zdzisław", "Weiß, Dr. Anna",
		"Nachmeldungen vor Ort",
		"Gesamt: 4 angemeldete Personen für 13.09.2017",
		"Anzahl der Unterschriften:",
		"Bestätigt durch Veranstalter:",
		"Stand: 13.09.2017 08:30", "Seite 1 von 1",
	)
	want := []string{"Äbersold, Björn", "Öztürk, Şükrü", "Ściegienny, Zdzisław", "Weiß, Dr. Anna"}
	if got := sigNames(text); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("names %q, want %q", got, want)
	}
	for _, s := range []string{"Stadt Übach-Palenberg", "Kita-Fachberatung"} {
		if !strings.Contains(text, s) {
			t.Errorf("missing %q", s)
		}
	}
	for _, absent := range []string{"Peters", "Wartend", "Storno", "Donnerstag"} {
		if strings.Contains(text, absent) {
			t.Errorf("%q is listed for the first day", absent)
		}
	}
}

func TestSignatureListAllDays(t *testing.T) {
	path := renderSignatureList(t, sigMeeting(), sigRegistrations(), day.Date{})
	pages := pdfPageTexts(t, path)
	if len(pages) != 2 {
		t.Fatalf("%d pages, want one per day", len(pages))
	}
	wants := []struct {
		kicker, date string
		names        []string
		absent       string
		total        string
	}{
		{"TAG 1 VON 2", "Mittwoch, 13. September 2017", []string{"Äbersold, Björn", "Öztürk, Şükrü", "Ściegienny, Zdzisław", "Weiß, Dr. Anna"}, "Peters", "Gesamt: 4 angemeldete Personen für 13.09.2017"},
		{"TAG 2 VON 2", "Donnerstag, 14. September 2017", []string{"Äbersold, Björn", "Peters, Paul", "Ściegienny, Zdzisław", "Weiß, Dr. Anna"}, "Öztürk", "Gesamt: 4 angemeldete Personen für 14.09.2017"},
	}
	for i, w := range wants {
		text := pages[i]
		inOrder(t, text, w.kicker, w.date, "Unterschrift")
		inOrder(t, text, w.names...)
		inOrder(t, text, w.names[len(w.names)-1], "Nachmeldungen vor Ort", w.total, "Bestätigt durch Veranstalter:", "Seite 1 von 1")
		if blank := sigBlankRows(text); len(blank) < 5 || blank[0] != 5 {
			t.Errorf("day %d: blank rows %v, want at least 5 from number 5 on", i+1, blank)
		}
		if got := sigNames(text); fmt.Sprint(got) != fmt.Sprint(w.names) {
			t.Errorf("day %d: names %q, want %q", i+1, got, w.names)
		}
		if strings.Contains(text, w.absent) {
			t.Errorf("day %d lists %s", i+1, w.absent)
		}
	}
}

func TestSignatureListSecondDayOnly(t *testing.T) {
	text := pdfText(t, renderSignatureList(t, sigMeeting(), sigRegistrations(), sigDay2))
	inOrder(t, text, "TAG 2 VON 2", "Donnerstag, 14. September 2017", "Peters, Paul", "Institut für soziale Arbeit", "Gesamt: 4 angemeldete Personen")
	if strings.Contains(text, "Öztürk") || strings.Contains(text, "Mittwoch") {
		t.Error("the second day's list shows the first day")
	}
}

// TestSignatureListManyPages checks that long lists break into pages
// with the header and table head repeated, rows tall enough to sign,
// and the closing block after the last name.
func TestSignatureListManyPages(t *testing.T) {
	var regs []registration.Registration
	for i := range 61 {
		regs = append(regs, sigPerson(int64(i+1), 1+int64(i%2), "", "", "", "Person", fmt.Sprintf("Nachname%03d", i), "Jugendamt", registration.Confirmed))
	}
	ev := sigMeeting()
	ev.Days = day.List{sigDay1}
	path := renderSignatureList(t, ev, regs, sigDay1)
	pages := pdfPageTexts(t, path)
	// 61 rows of at least 13 mm and about 220 mm of table per page.
	if len(pages) < 4 {
		t.Fatalf("%d pages for 61 rows: rows are too low to sign", len(pages))
	}
	next := 0
	for i, text := range pages {
		inOrder(t, text, "UNTERSCHRIFTENLISTE", "Mittwoch, 13. September 2017", "Unterschrift",
			"Seite "+strconv.Itoa(i+1)+" von "+strconv.Itoa(len(pages)))
		if strings.Contains(text, "TAG 1 VON 1") {
			t.Error("a one-day meeting is labelled as day 1 of 1")
		}
		names := sigNames(text)
		if len(names) > 17 {
			t.Errorf("page %d holds %d rows: too low to sign", i+1, len(names))
		}
		for _, n := range names {
			if want := fmt.Sprintf("Nachname%03d, Person", next); n != want {
				t.Fatalf("page %d: %q, want %q", i+1, n, want)
			}
			next++
		}
		last := i == len(pages)-1
		if strings.Contains(text, "Bestätigt durch Veranstalter") != last {
			t.Errorf("page %d: closing block present = %v", i+1, !last)
		}
		if last && len(names)+len(sigBlankRows(text)) == 0 {
			t.Error("the closing block stands alone on the last page")
		}
	}
	if next != 61 {
		t.Errorf("%d rows, want 61", next)
	}
	inOrder(t, strings.Join(pages, "\f"), "Nachname060, Person", "Nachmeldungen vor Ort", "Gesamt: 61 angemeldete Personen für 13.09.2017")
}

func TestSignatureListEmpty(t *testing.T) {
	text := pdfText(t, renderSignatureList(t, sigMeeting(), nil, sigDay1))
	inOrder(t, text, "Unterschrift", "Für diesen Tag liegen keine bestätigten Anmeldungen vor.",
		"Nachmeldungen vor Ort", "Gesamt: 0 angemeldete Personen", "Bestätigt durch Veranstalter:")
	if blank := sigBlankRows(text); len(blank) < 5 || blank[0] != 1 {
		t.Errorf("blank rows %v, want at least 5 from number 1 on", blank)
	}
}

// TestSignatureListWalkInRows lists 0 to 40 people and checks the blank
// rows after them: headed "Nachmeldungen vor Ort", numbered on from the
// last person, at least five, all on the last page, which they fill –
// the people and blank rows on it always add up to the same number – and
// on a page of their own when fewer than five fit below the people.
func TestSignatureListWalkInRows(t *testing.T) {
	ev := sigMeeting()
	ev.Days = day.List{sigDay1}
	full, ownPage := 0, false
	for n := 0; n <= 40; n++ {
		var regs []registration.Registration
		for i := range n {
			regs = append(regs, sigPerson(int64(i+1), 1, "", "", "", "Person", fmt.Sprintf("Nachname%03d", i), "Jugendamt", registration.Confirmed))
		}
		pages := pdfPageTexts(t, renderSignatureList(t, ev, regs, sigDay1))
		lastPage := pages[len(pages)-1]
		for i, text := range pages[:len(pages)-1] {
			if strings.Contains(text, "Nachmeldungen vor Ort") || len(sigBlankRows(text)) > 0 {
				t.Errorf("%d people: blank rows on page %d of %d", n, i+1, len(pages))
			}
		}
		if c := strings.Count(lastPage, "Nachmeldungen vor Ort"); c != 1 {
			t.Errorf("%d people: heading %d times on the last page", n, c)
		}
		blank := sigBlankRows(lastPage)
		if len(blank) < 5 {
			t.Errorf("%d people: %d blank rows, want at least 5", n, len(blank))
		}
		for i, nr := range blank {
			if nr != n+1+i {
				t.Fatalf("%d people: blank rows numbered %v, want from %d on", n, blank, n+1)
			}
		}
		inOrder(t, lastPage, "Nachmeldungen vor Ort", strconv.Itoa(n+len(blank)), "Gesamt: "+strconv.Itoa(n)+" angemeldete")
		people := len(sigNames(lastPage))
		if n == 0 {
			continue // the note that nobody registered takes a row's room
		}
		if people == 0 {
			ownPage = true
		}
		if full == 0 {
			full = people + len(blank)
		}
		if people+len(blank) != full {
			t.Errorf("%d people: the last page holds %d people and %d blank rows; other lists fill it with %d rows", n, people, len(blank), full)
		}
	}
	if !ownPage {
		t.Error("no list put its blank rows on a page of their own")
	}
}

func TestSignatureListErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := document.SignatureList(&buf, nil, nil, nil, nil, sigDay1, generatedAt); err == nil {
		t.Error("no error without an event")
	}
	err := document.SignatureList(&buf, sigMeeting(), nil, sigRegistrations(), sigMunicipalities, day.MustParse("2017-09-15"), generatedAt)
	if err == nil || !strings.Contains(err.Error(), "15.09.2017") {
		t.Errorf("a day outside the meeting: %v", err)
	}
}

func TestSignatureListConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			var buf bytes.Buffer
			errs <- document.SignatureList(&buf, sigMeeting(), nil, sigRegistrations(), sigMunicipalities, day.Date{}, generatedAt)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
