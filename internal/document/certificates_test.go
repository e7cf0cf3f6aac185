package document_test

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

const certOrganiser = "Institut für Soziale Arbeit e.V. (ISA) · Servicestelle Prävention"

func renderCertificates(t *testing.T, ev *event.Event, regs []registration.Registration, attended map[int64]day.List) string {
	t.Helper()
	var buf bytes.Buffer
	if err := document.Certificates(&buf, ev, nil, regs, sigMunicipalities, attended, certOrganiser, generatedAt); err != nil {
		t.Fatalf("Certificates: %v", err)
	}
	return writePDF(t, buf.Bytes())
}

// flat collapses the layout's runs of spaces and line breaks, so that
// centred text wrapped over lines reads as one sentence.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// certRegistrations are sigRegistrations and Frau Dr. Wójcik-Größel.
func certRegistrations() []registration.Registration {
	return append(sigRegistrations(),
		sigPerson(8, 2, "", "Frau", "Dr.", "Małgorzata", "Wójcik-Größel", "Jugendamt, Koordination Präventionskette", registration.Confirmed))
}

func TestCertificates(t *testing.T) {
	attended := map[int64]day.List{
		1:  {sigDay2, sigDay1}, // Weiß, both days, given out of order
		2:  {sigDay1},          // Ściegienny
		3:  {sigDay2},          // Öztürk, no salutation
		8:  {sigDay1, sigDay2}, // Wójcik-Größel
		5:  {},                 // Äbersold: an empty entry is no check-in
		99: {sigDay1},          // not among the registrations
	}
	path := renderCertificates(t, sigMeeting(), certRegistrations(), attended)
	pages := pdfPageTexts(t, path)
	if len(pages) != 4 {
		t.Fatalf("%d pages, want one for each of the 4 people checked in", len(pages))
	}
	both := "am Mittwoch, 13. September 2017 und am Donnerstag, 14. September 2017"
	wants := []struct {
		name, about, when string
		days              []string
		absent            []string
	}{
		{"Şükrü Öztürk", "(Schulamt, Stadt Köln)", "am Donnerstag, 14. September 2017",
			[]string{"Donnerstag, 14. September 2017, 10:00–16:00 Uhr", "an 1 von 2 Veranstaltungstagen"},
			[]string{"Frau Şükrü", "Herr Şükrü", "Mittwoch"}},
		{"Herr Zdzisław Ściegienny", "(Sozialamt, Stadt Übach-Palenberg)", "am Mittwoch, 13. September 2017",
			[]string{"Mittwoch, 13. September 2017, 10:00–16:00 Uhr", "an 1 von 2 Veranstaltungstagen"},
			[]string{"Donnerstag"}},
		{"Frau Dr. Anna Weiß", "(Jugendamt, Jugendhilfeplanung, Stadt Köln)", both,
			[]string{"Mittwoch, 13. September 2017, 10:00–16:00 Uhr", "Donnerstag, 14. September 2017, 10:00–16:00 Uhr"},
			[]string{"von 2 Veranstaltungstagen"}},
		{"Frau Dr. Małgorzata Wójcik-Größel", "(Jugendamt, Koordination Präventionskette, Stadt Übach-Palenberg)", both,
			[]string{"Mittwoch, 13. September 2017, 10:00–16:00 Uhr", "Donnerstag, 14. September 2017, 10:00–16:00 Uhr"},
			[]string{"von 2 Veranstaltungstagen"}},
	}
	for i, w := range wants {
		text := flat(pages[i])
		inOrder(t, text,
			"Institut für Soziale Arbeit e.V. (ISA) · Servicestelle Prävention",
			"Teilnahmebescheinigung",
			"Hiermit bestätigen wir, dass "+w.name+" "+w.about+" "+w.when+
				" an der Veranstaltung „17. Lernnetzwerktreffen“ unter dem Motto „Wir wollen die Prävention stärken!“ in Gürzenich, Köln teilgenommen hat.")
		inOrder(t, text, append(w.days, "Veranstaltungsort", "Gürzenich", "Veranstalter", "Institut für Soziale Arbeit e.V. (ISA)",
			"Köln, 13.09.2017", "Ort, Datum", "Für den Veranstalter")...)
		for _, s := range w.absent {
			if strings.Contains(text, s) {
				t.Errorf("page %d (%s) shows %q", i+1, w.name, s)
			}
		}
		for _, other := range []string{"Peters", "Äbersold", "Wartend", "Storno"} {
			if strings.Contains(text, other) {
				t.Errorf("page %d names %s, who was not checked in", i+1, other)
			}
		}
	}
}

// TestCertificatesLong checks that long entries and many days still fit
// one page per person.
func TestCertificatesLong(t *testing.T) {
	ev := sigMeeting()
	ev.Kind, ev.Number = event.Fruehjahrsakademie, 0
	ev.Title = "Frühjahrsakademie der Präventionsnetzwerke in Nordrhein-Westfalen mit einem sehr langen Titel, der umbrechen muss"
	ev.Motto = strings.Repeat("Gemeinsam stark für Kinder und Familien – ", 6)
	ev.VenueAddress = "Martinstraße 29–37\n50667 Köln"
	ev.CoOrganisers = "LVR-Landesjugendamt Rheinland\nLWL-Landesjugendamt Westfalen\nMinisterium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW\nWeitere"
	var days day.List
	for i := range 10 {
		days = append(days, day.Date{Year: 2018, Month: 3, Day: 5 + i})
	}
	ev.Days = days
	reg := sigPerson(1, 2, "", "Herr", "Prof. Dr.", "Jan-Hendrik Maximilian", "Müller-Lüdenscheidt-Wójcik", strings.Repeat("Jugendamt, Abteilung Jugendhilfeplanung und Prävention, ", 4), registration.Confirmed)
	two := sigPerson(2, 1, "", "", "", "Ewa", "Łukasiewicz", "", registration.Confirmed)
	path := renderCertificates(t, ev, []registration.Registration{reg, two}, map[int64]day.List{1: days, 2: days[:4]})
	if n := pdfPages(t, path); n != 2 {
		t.Fatalf("%d pages, want 2", n)
	}
	pages := pdfPageTexts(t, path)
	inOrder(t, flat(pages[0]), "Ewa Łukasiewicz (Stadt Köln)", "an 4 Tagen (05.03.2018, 06.03.2018, 07.03.2018 und 08.03.2018)",
		"Montag, 5. März 2018, 10:00–16:00 Uhr", "Donnerstag, 8. März 2018, 10:00–16:00 Uhr", "an 4 von 10 Veranstaltungstagen", "Für den Veranstalter")
	inOrder(t, flat(pages[1]), "Herr Prof. Dr. Jan-Hendrik Maximilian Müller-Lüdenscheidt-Wójcik", "an 10 Tagen",
		"05.03.2018, 06.03.2018", "Für den Veranstalter")
	if strings.Contains(pages[1], ",,") {
		t.Error("a function ending in a comma gets a second one")
	}
	if strings.Contains(pages[1], "Veranstaltungstagen") {
		t.Error("a person at all days is told the share of days")
	}
}

func TestCertificatesNobody(t *testing.T) {
	for name, attended := range map[string]map[int64]day.List{
		"nil":     nil,
		"empty":   {},
		"unknown": {42: {sigDay1}},
	} {
		t.Run(name, func(t *testing.T) {
			path := renderCertificates(t, sigMeeting(), certRegistrations(), attended)
			if n := pdfPages(t, path); n != 1 {
				t.Fatalf("%d pages, want 1", n)
			}
			text := flat(pdfText(t, path))
			inOrder(t, text, "Teilnahmebescheinigungen", "Für „17. Lernnetzwerktreffen“ wurde bisher niemand beim Check-in als anwesend erfasst.")
			if strings.Contains(text, "Hiermit bestätigen wir") {
				t.Error("a certificate without anybody checked in")
			}
		})
	}
}

func TestCertificatesNoSalutationOrDetails(t *testing.T) {
	ev := sigMeeting()
	ev.Motto, ev.VenueName, ev.VenueCity, ev.StartTime, ev.EndTime = "", "", "", "", ""
	reg := sigPerson(1, 0, "", "", "", "Ada", "Ohneangaben", "", registration.Confirmed)
	text := flat(pdfText(t, renderCertificates(t, ev, []registration.Registration{reg}, map[int64]day.List{1: {sigDay1}})))
	inOrder(t, text, "Hiermit bestätigen wir, dass Ada Ohneangaben am Mittwoch, 13. September 2017 an der Veranstaltung „17. Lernnetzwerktreffen“ teilgenommen hat.",
		"Teilnahme Mittwoch, 13. September 2017 an 1 von 2", "13.09.2017 Ort, Datum")
	for _, s := range []string{"()", "Motto", " in ", "Uhr"} {
		if strings.Contains(text, s) {
			t.Errorf("%q in %s", s, text)
		}
	}
}

func TestCertificatesErrorsAndConcurrency(t *testing.T) {
	var buf bytes.Buffer
	if err := document.Certificates(&buf, nil, nil, nil, nil, nil, "", generatedAt); err == nil {
		t.Error("no error without an event")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			var buf bytes.Buffer
			errs <- document.Certificates(&buf, sigMeeting(), nil, certRegistrations(), sigMunicipalities, map[int64]day.List{1: {sigDay1}, 8: {sigDay2}}, certOrganiser, generatedAt)
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

// TestCertificatePreview makes the certificate of a sample person
// present on every day, marked as a sample, and otherwise word for word
// the certificate a checked-in person of Musterstadt gets.
func TestCertificatePreview(t *testing.T) {
	var buf bytes.Buffer
	if err := document.CertificatePreview(&buf, sigMeeting(), nil, certOrganiser, generatedAt); err != nil {
		t.Fatalf("CertificatePreview: %v", err)
	}
	path := writePDF(t, buf.Bytes())
	if n := pdfPages(t, path); n != 1 {
		t.Fatalf("%d pages, want 1", n)
	}
	const note = "Vorschau – keine gültige Bescheinigung"
	// Written across the page, the mark reads as a word in raw order and
	// as single letters between the lines of the layout.
	raw := poppler(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-")
	if !regexp.MustCompile(`(?m)^MUSTER$`).MatchString(raw) {
		t.Errorf("no MUSTER across the page:\n%s", raw)
	}
	var words []string
	for _, w := range strings.Fields(pdfText(t, path)) {
		if len(w) != 1 || !strings.Contains("MUSTER", w) {
			words = append(words, w)
		}
	}
	text := strings.Join(words, " ")
	inOrder(t, text, note, "Teilnahmebescheinigung",
		"Hiermit bestätigen wir, dass Frau Erika Musterfrau (Jugendamt, Musterstadt) am Mittwoch, 13. September 2017 und am Donnerstag, 14. September 2017 an der Veranstaltung „17. Lernnetzwerktreffen“",
		"Mittwoch, 13. September 2017, 10:00–16:00 Uhr", "Donnerstag, 14. September 2017, 10:00–16:00 Uhr", "Für den Veranstalter", note)
	if strings.Contains(text, "Anmeldenummer") {
		t.Error("the sample has a registration number")
	}

	// The real certificate of the same person says the same.
	musterstadt := sigPerson(5, 0, "Musterstadt", "Frau", "", "Erika", "Musterfrau", "Jugendamt", registration.Confirmed)
	real := flat(pdfText(t, renderCertificates(t, sigMeeting(), []registration.Registration{musterstadt}, map[int64]day.List{5: {sigDay1, sigDay2}})))
	real = strings.Replace(real, " Anmeldenummer 5", "", 1)
	preview := strings.ReplaceAll(text, " "+note, "")
	if preview != real {
		t.Errorf("the preview differs from the certificate:\npreview %s\nreal    %s", preview, real)
	}

	if err := document.CertificatePreview(&buf, nil, nil, "", generatedAt); err == nil {
		t.Error("no error without an event")
	}
}
