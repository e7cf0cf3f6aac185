package document_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

const (
	letterhead = "Institut für Soziale Arbeit e.V. (ISA) · Servicestelle Prävention"
	manageURL  = "https://treffen.example.org/anmeldung/q7Xk2mP9vR4sT8wY1zA3bC5dE6fG0hJ"
)

// confirmationMeeting is a two-day meeting in Köln.
func confirmationMeeting() *event.Event {
	return &event.Event{
		ID:           17,
		Kind:         event.Lernnetzwerktreffen,
		Number:       17,
		Motto:        "Wir wollen die Prävention stärken!",
		Days:         day.List{day.MustParse("2017-09-13"), day.MustParse("2017-09-14")},
		StartTime:    "10:00",
		EndTime:      "16:00",
		VenueName:    "Gürzenich",
		VenueAddress: "Martinstraße 29–37\n50667 Köln",
		VenueCity:    "Köln",
		Organiser:    "Institut für Soziale Arbeit e.V. (ISA)",
		CoOrganisers: "LVR-Landesjugendamt Rheinland (Koordinationsstelle Kinderarmut)",
		Status:       event.Published,
	}
}

// confirmationRegistration registered on 1 August 2017 at 14:05 in Berlin
// for both days.
func confirmationRegistration(status registration.Status) *registration.Registration {
	mun := int64(2)
	r := &registration.Registration{
		ID:             4711,
		EventID:        17,
		Salutation:     "Frau",
		AcademicTitle:  "Dr.",
		FirstName:      "Małgorzata",
		LastName:       "Wójcik-Größel",
		Email:          "m.wojcik-groessel@uebach-palenberg.de",
		MunicipalityID: &mun,
		Function:       "Jugendamt, Koordination Präventionskette",
		Days:           day.List{day.MustParse("2017-09-13"), day.MustParse("2017-09-14")},
		Status:         status,
		CreatedAt:      time.Date(2017, 8, 1, 12, 5, 0, 0, time.UTC),
	}
	if status == registration.Cancelled {
		at := time.Date(2017, 9, 5, 8, 12, 0, 0, time.UTC)
		r.CancelledAt = &at
	}
	return r
}

// renderConfirmation writes the confirmation to a temporary file and
// returns its path.
func renderConfirmation(t *testing.T, ev *event.Event, reg *registration.Registration, municipalityName string, position int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := document.Confirmation(&buf, ev, nil, reg, municipalityName, position, letterhead, manageURL, generatedAt); err != nil {
		t.Fatalf("Confirmation: %v", err)
	}
	return writePDF(t, buf.Bytes())
}

// writePDF saves a rendering in a temporary directory and returns its
// path. With TREFFEN_SAMPLE_PDF=/tmp/x.pdf the first rendering of the
// run is also kept there, to look at: go test -run 'TestConfirmation$/waitlisted'.
func writePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "anmeldebestaetigung.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if sample := os.Getenv("TREFFEN_SAMPLE_PDF"); sample != "" {
		if _, err := os.Stat(sample); os.IsNotExist(err) {
			if err := os.WriteFile(sample, pdf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return path
}

// inOrder checks that each string occurs in text after the one before.
func inOrder(t *testing.T, text string, want ...string) {
	t.Helper()
	pos := 0
	for _, s := range want {
		i := strings.Index(text[pos:], s)
		if i < 0 {
			t.Errorf("%q not found (in this order) in:\n%s", s, text)
			return
		}
		pos += i + len(s)
	}
}

func TestConfirmation(t *testing.T) {
	for _, tc := range []struct {
		status   registration.Status
		position int
		want     []string // besides what every confirmation shows
		not      []string
	}{
		{registration.Confirmed, 0,
			[]string{"Anmeldebestätigung", "Hiermit bestätigen wir Ihre verbindliche Anmeldung", "Bestätigt", "Änderungen und Stornierung: " + manageURL},
			[]string{"Warteliste ·", "Platz 3", "Stornierung\n", "Storniert"}},
		{registration.Waitlisted, 3,
			[]string{"Bestätigung: Warteliste", "Platz 3 der Warteliste", "noch keine Teilnahmezusage", "Warteliste · Platz 3", "Änderungen und Stornierung: " + manageURL},
			[]string{"Anmeldebestätigung", "verbindliche Anmeldung", "Storniert"}},
		{registration.Cancelled, 0,
			[]string{"Stornierung", "Hiermit bestätigen wir die Stornierung", "am 05.09.2017 um 10:12 Uhr storniert", "Storniert am 05.09.2017", manageURL},
			[]string{"Anmeldebestätigung", "verbindliche Anmeldung", "Platz 3", "Änderungen und Stornierung"}},
		{registration.Pending, 0,
			[]string{"Eingangsbestätigung", "geprüft", "noch keine Teilnahmezusage", "In Prüfung", "Änderungen und Rückzug: " + manageURL},
			[]string{"Anmeldebestätigung", "verbindliche Anmeldung", "Storniert"}},
		{registration.Declined, 0,
			[]string{"Absage", "nicht annehmen", "Abgelehnt", manageURL},
			[]string{"Anmeldebestätigung", "verbindliche Anmeldung", "Änderungen und Stornierung"}},
	} {
		t.Run(string(tc.status), func(t *testing.T) {
			path := renderConfirmation(t, confirmationMeeting(), confirmationRegistration(tc.status), "Stadt Übach-Palenberg", tc.position)
			text := pdfText(t, path)
			for _, want := range append([]string{
				"Institut für Soziale Arbeit e.V. (ISA) · Servicestelle Prävention",
				"Dr. Małgorzata Wójcik-Größel",
				"Jugendamt, Koordination Präventionskette",
				"Kommune", "Stadt Übach-Palenberg",
				"m.wojcik-groessel@uebach-palenberg.de",
				"17. Lernnetzwerktreffen",
				"„Wir wollen die Prävention stärken!“",
				"Termine",
				"Mittwoch, 13. September 2017, 10:00–16:00 Uhr",
				"Donnerstag, 14. September 2017, 10:00–16:00 Uhr",
				"Gürzenich", "Martinstraße 29–37", "50667 Köln",
				"Veranstalter", "Institut für Soziale Arbeit e.V. (ISA)",
				"In Kooperation mit", "LVR-Landesjugendamt Rheinland (Koordinationsstelle Kinderarmut)",
				"Anmeldenummer", "4711",
				"Angemeldet am", "01.08.2017, 14:05 Uhr",
				"Erstellt am 13.09.2017 08:30",
			}, tc.want...) {
				if !strings.Contains(text, want) {
					t.Errorf("missing %q in:\n%s", want, text)
				}
			}
			for _, not := range tc.not {
				if strings.Contains(text, not) {
					t.Errorf("%q shown in:\n%s", not, text)
				}
			}
			// The address names the city: it is not repeated.
			if n := strings.Count(text, "Köln"); n != 1 {
				t.Errorf("Köln shown %d times, want once", n)
			}
			inOrder(t, text, "Wójcik-Größel", "17. Lernnetzwerktreffen", "Mittwoch", "Donnerstag", "Gürzenich", manageURL, "Erstellt am")
			if n := pdfPages(t, path); n != 1 {
				t.Errorf("%d pages, want 1", n)
			}
		})
	}
}

// TestConfirmationOneOfTwoDays checks a person attending the second day
// only, as a guest of an organisation, with a Turkish name.
func TestConfirmationOneOfTwoDays(t *testing.T) {
	reg := confirmationRegistration(registration.Confirmed)
	reg.AcademicTitle, reg.FirstName, reg.LastName = "", "Şükrü", "Yıldız"
	reg.MunicipalityID = nil
	reg.Organisation = "LWL-Landesjugendamt Westfalen"
	reg.Days = day.List{day.MustParse("2017-09-14")}
	text := pdfText(t, renderConfirmation(t, confirmationMeeting(), reg, "", 0))
	for _, want := range []string{"Şükrü Yıldız", "Organisation", "LWL-Landesjugendamt Westfalen", "Termin ",
		"Donnerstag, 14. September 2017, 10:00–16:00 Uhr", "Teilnahme an 1 von 2 Veranstaltungstagen"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	for _, not := range []string{"Mittwoch", "Kommune", "Termine"} {
		if strings.Contains(text, not) {
			t.Errorf("%q shown in:\n%s", not, text)
		}
	}
}

// TestConfirmationLong fills every field to its limit: the page still
// holds everything above the footer.
func TestConfirmationLong(t *testing.T) {
	ev := confirmationMeeting()
	ev.Kind, ev.Number = event.Other, 0
	ev.Title = "Fachtag Kinderarmut: Präventionsketten in Kommunen gemeinsam gestalten, weiterentwickeln und nachhaltig in der Verwaltung verankern"
	ev.Motto = strings.Repeat("Kein Kind zurücklassen – gemeinsam für ein gelingendes Aufwachsen in Nordrhein-Westfalen. ", 4)
	ev.Days = nil
	for d := 11; d <= 22; d++ {
		ev.Days = append(ev.Days, day.Date{Year: 2017, Month: time.September, Day: d})
	}
	ev.VenueName = strings.Repeat("Tagungs- und Bildungszentrum des Landschaftsverbandes ", 3)
	ev.VenueAddress = "Hermann-Pünder-Straße 1\nEingang über den Innenhof, Gebäude C, 3. Etage, Raum 3.114\nAnlieferung über die Rückseite\n50679 Köln-Deutz"
	ev.Organiser = strings.Repeat("Institut für Soziale Arbeit e.V. (ISA), Servicestelle Prävention ", 3)
	ev.CoOrganisers = strings.Repeat("Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW ", 3) +
		"\nLVR-Landesjugendamt Rheinland\nLWL-Landesjugendamt Westfalen\nAuridis Stiftung gGmbH"
	reg := confirmationRegistration(registration.Waitlisted)
	reg.AcademicTitle = "Prof. Dr. Dr. h. c."
	reg.FirstName = "Małgorzata Anna-Katharina Zofia"
	reg.LastName = "Wójcik-Größel-Ściegienna von und zu Übach-Palenberg-Hückelhoven"
	reg.Function = strings.Repeat("Fachbereich Jugend, Familie und Bildung – Abteilung Jugendhilfeplanung und Prävention; ", 4)
	reg.Email = "sehr.lange.adresse.der.jugendhilfeplanung.und.praevention@kreis-recklinghausen-beispiel-verwaltung.nrw.de"
	reg.Days = ev.Days[1:]
	var buf bytes.Buffer
	longURL := manageURL + "/" + strings.Repeat("x", 150)
	if err := document.Confirmation(&buf, ev, nil, reg, strings.Repeat("Kreis Recklinghausen ", 8), 123, letterhead, longURL, generatedAt); err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, buf.Bytes())
	if n := pdfPages(t, path); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	text := pdfText(t, path)
	inOrder(t, text, "Bestätigung: Warteliste", "Platz 123", "Prof. Dr. Dr. h. c. Małgorzata", "Fachtag Kinderarmut",
		"12.–22.09.2017, jeweils 10:00–16:00 Uhr", "Teilnahme an 11 von 12 Veranstaltungstagen",
		"Hermann-Pünder-Straße 1", "Eingang über den Innenhof", "50679 Köln-Deutz", "Änderungen und Stornierung:", "https://treffen.example.org/", "Wer den Link kennt", "Erstellt am 13.09.2017 08:30")
	lines := strings.Split(strings.TrimRight(text, "\n\f"), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); !strings.HasPrefix(last, "Erstellt am") {
		t.Errorf("last line %q, want the footer", last)
	}
}

func TestConfirmationConcurrent(t *testing.T) {
	ev := confirmationMeeting()
	outs := make([]bytes.Buffer, 6)
	errs := make([]error, len(outs))
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() {
			errs[i] = document.Confirmation(&outs[i], ev, nil, confirmationRegistration(registration.Confirmed), "Stadt Übach-Palenberg", 0, letterhead, manageURL, generatedAt)
		})
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Fatalf("rendering %d: %v", i, errs[i])
		}
		if !bytes.Equal(outs[i].Bytes(), outs[0].Bytes()) {
			t.Errorf("rendering %d differs from rendering 0", i)
		}
	}
	if !bytes.HasPrefix(outs[0].Bytes(), []byte("%PDF-")) {
		t.Error("output is not a PDF")
	}
}

func TestConfirmationErrors(t *testing.T) {
	ev := confirmationMeeting()
	other := confirmationRegistration(registration.Confirmed)
	other.EventID = 18
	unknown := confirmationRegistration("paused")
	for name, tc := range map[string]struct {
		ev  *event.Event
		reg *registration.Registration
	}{
		"no event":        {nil, confirmationRegistration(registration.Confirmed)},
		"no registration": {ev, nil},
		"other event":     {ev, other},
		"unknown status":  {ev, unknown},
	} {
		if err := document.Confirmation(io.Discard, tc.ev, nil, tc.reg, "", 0, letterhead, manageURL, generatedAt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
