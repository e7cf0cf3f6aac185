package document_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
)

// generatedAt is 13 September 2017, 08:30 in Berlin.
var generatedAt = time.Date(2017, 9, 13, 6, 30, 0, 0, time.UTC)

func meeting() *event.Event {
	return &event.Event{
		ID:        17,
		Kind:      event.Lernnetzwerktreffen,
		Number:    17,
		Motto:     "„Wir wollen die Prävention stärken!“",
		Days:      day.List{day.MustParse("2017-09-13"), day.MustParse("2017-09-14")},
		VenueName: "Gürzenich",
		VenueCity: "Köln",
		Status:    event.Published,
	}
}

// fixture is a meeting with its municipalities and registrations, and
// what the list should show for them.
type fixture struct {
	municipalities map[int64]municipality.Municipality
	regs           []registration.Registration
	groups         []wantGroup                            // in the expected order
	absent         []string                               // names that must not appear
	labels         map[int64][]document.WorkingGroupLabel // working groups per registration
}

// wantGroup is a heading and its names ("Last, First") in order.
type wantGroup struct {
	heading string
	names   []string
}

func (fx *fixture) add(munID int64, org, title, first, last string, status registration.Status, days ...string) {
	r := registration.Registration{
		ID:            int64(len(fx.regs) + 1),
		EventID:       17,
		AcademicTitle: title,
		FirstName:     first,
		LastName:      last,
		Email:         fmt.Sprintf("teilnahme%02d@example.org", len(fx.regs)+1),
		Organisation:  org,
		Function:      "Jugendamt, Jugendhilfeplanung",
		Status:        status,
	}
	if munID != 0 {
		r.MunicipalityID = &munID
	}
	for _, d := range days {
		r.Days = append(r.Days, day.MustParse(d))
	}
	fx.regs = append(fx.regs, r)
}

// cologneFixture has 40 confirmed registrations in six municipalities
// and two guest organisations, given in scrambled order.
func cologneFixture() *fixture {
	fx := &fixture{municipalities: map[int64]municipality.Municipality{
		1: {ID: 1, Name: "Stadt Köln", Kind: municipality.Stadt},
		2: {ID: 2, Name: "Stadt Übach-Palenberg", Kind: municipality.Stadt},
		3: {ID: 3, Name: "Kreis Unna", Kind: municipality.Kreis},
		4: {ID: 4, Name: "Stadt Ahlen", Kind: municipality.Stadt},
		5: {ID: 5, Name: "Stadt Düsseldorf", Kind: municipality.Stadt},
		6: {ID: 6, Name: "Stadt Wuppertal", Kind: municipality.Stadt},
		7: {ID: 7, Name: "Stadt Oelde", Kind: municipality.Stadt}, // nobody registered
	}}
	c := registration.Confirmed
	both := []string{"2017-09-13", "2017-09-14"}
	// Köln: folding puts Ściegienny between Schmidt and Sommer, Öztürk
	// between Otto and Peters, Weiß between Weise and Weißmann.
	fx.add(1, "", "", "Zdzisław", "Ściegienny", c, both...)
	fx.add(1, "", "", "Şükrü", "Öztürk", c, "2017-09-13")
	fx.add(1, "", "Dr.", "Anna", "Weiß", c, both...)
	fx.add(1, "", "", "Jonas", "Sommer", c)
	fx.add(1, "", "", "Paul", "Peters", c, "2017-09-14")
	fx.add(1, "", "", "Heike", "Schmidt", c, both...)
	fx.add(1, "", "", "Olaf", "Otto", c, both...)
	fx.add(1, "", "", "Karl", "Weise", c, both...)
	fx.add(1, "", "Prof. Dr.", "Eva", "Weißmann", c, both...)
	fx.add(1, "", "", "Björn", "Äbersold", c, both...)
	// Düsseldorf: same last name, sorted by first name.
	fx.add(5, "", "", "Łukasz", "Wójcik", c, both...)
	fx.add(5, "", "", "Çağla", "Yıldız", c, both...)
	fx.add(5, "", "", "Jan", "Becker", c, both...)
	fx.add(5, "", "", "Anne", "Becker", c, both...)
	fx.add(5, "", "", "İbrahim", "Kaya", c, both...)
	fx.add(5, "", "", "Ute", "Ulrich", c, both...)
	// Others, filled up to 40 confirmed in total.
	for i, n := range []string{"Lange", "Krüger", "Jäger", "Hoffmann", "Groß", "Fischer"} {
		fx.add(3, "", "", "Person"+strconv.Itoa(i), n, c, both...)
	}
	for i, n := range []string{"Zimmermann", "Yilmaz", "Xanten", "Vogel", "Ullmann"} {
		fx.add(4, "", "", "Person"+strconv.Itoa(i), n, c, both...)
	}
	for i, n := range []string{"Neumann", "Müller", "Meyer", "Maier", "Lorenz", "König", "Klein"} {
		fx.add(2, "", "", "Person"+strconv.Itoa(i), n, c, both...)
	}
	for i, n := range []string{"Berg", "Arndt", "Busch", "Dietrich"} {
		fx.add(6, "", "", "Person"+strconv.Itoa(i), n, c, both...)
	}
	fx.add(0, "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW", "", "Gerda", "Gast", c, both...)
	fx.add(0, "Institut für soziale Arbeit e. V.", "", "Ingo", "Institut", c, both...)
	// Not on the list.
	fx.add(1, "", "", "Wilma", "Wartend", registration.Waitlisted, both...)
	fx.add(3, "", "", "Stefan", "Storno", registration.Cancelled, both...)
	fx.add(0, "", "", "Wanda", "Warteschlange", registration.Waitlisted, both...)
	fx.absent = []string{"Wartend", "Storno", "Warteschlange"}

	// Municipalities by place: Kreis Unna after Stadt Übach-Palenberg.
	fx.groups = []wantGroup{
		{"Stadt Ahlen", []string{"Ullmann, Person4", "Vogel, Person3", "Xanten, Person2", "Yilmaz, Person1", "Zimmermann, Person0"}},
		{"Stadt Düsseldorf", []string{"Becker, Anne", "Becker, Jan", "Kaya, İbrahim", "Ulrich, Ute", "Wójcik, Łukasz", "Yıldız, Çağla"}},
		{"Stadt Köln", []string{"Äbersold, Björn", "Otto, Olaf", "Öztürk, Şükrü", "Peters, Paul", "Schmidt, Heike", "Ściegienny, Zdzisław", "Sommer, Jonas", "Weise, Karl", "Weiß, Dr. Anna", "Weißmann, Prof. Dr. Eva"}},
		{"Stadt Übach-Palenberg", []string{"Klein, Person6", "König, Person5", "Lorenz, Person4", "Maier, Person3", "Meyer, Person2", "Müller, Person1", "Neumann, Person0"}},
		{"Kreis Unna", []string{"Fischer, Person5", "Groß, Person4", "Hoffmann, Person3", "Jäger, Person2", "Krüger, Person1", "Lange, Person0"}},
		{"Stadt Wuppertal", []string{"Arndt, Person1", "Berg, Person0", "Busch, Person2", "Dietrich, Person3"}},
		{"Institut für soziale Arbeit e. V.", []string{"Institut, Ingo"}},
		{"Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW", []string{"Gast, Gerda"}},
	}
	return fx
}

// render writes the list to a file in a temporary directory.
func render(t testing.TB, ev *event.Event, fx *fixture) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "teilnehmerliste.pdf")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := document.ParticipantList(out, ev, fx.regs, fx.municipalities, fx.labels, generatedAt); err != nil {
		t.Fatalf("ParticipantList: %v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// poppler runs a poppler-utils tool, skipping the test when it is missing.
func poppler(t *testing.T, tool string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s not found: install poppler-utils (apt-get install poppler-utils) to check the PDF's text", tool)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", tool, args, err, out)
	}
	return string(out)
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	return poppler(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
}

func pdfPages(t *testing.T, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(poppler(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo shows no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// mustIndex returns the position of s in text after from, or fails.
func mustIndex(t *testing.T, text, s string, from int) int {
	t.Helper()
	i := strings.Index(text[from:], s)
	if i < 0 {
		t.Fatalf("%q not found after offset %d in:\n%s", s, from, text[from:])
	}
	return from + i
}

var totalRE = regexp.MustCompile(`(\d+) Teilnehmende|1 teilnehmende Person`)

func TestParticipantList(t *testing.T) {
	fx := cologneFixture()
	path := render(t, meeting(), fx)
	text := pdfText(t, path)

	for _, want := range []string{
		"TEILNEHMERLISTE",
		"17. Lernnetzwerktreffen",
		"„Wir wollen die Prävention stärken!“",
		"13.–14.09.2017 · Gürzenich, Köln",
		"40 bestätigte Anmeldungen · 2 weitere Personen auf der Warteliste (nicht aufgeführt)",
		"Nr.", "Name", "Funktion / Dienststelle", "Tage", "E-Mail",
		"Stand: 13.09.2017 08:30",
		"Gesamt: 40 Teilnehmende aus 6 Kommunen und 2 weiteren Organisationen",
		"teilnahme11@example.org",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q", want)
		}
	}
	for _, name := range fx.absent {
		if strings.Contains(text, name) {
			t.Errorf("%s is not confirmed but listed", name)
		}
	}
	if strings.Contains(text, "Stadt Oelde") {
		t.Error("a municipality without participants has a heading")
	}

	// Groups in order, names sorted within each, the group's total after
	// its last name and before the next heading.
	pos := 0
	for i, g := range fx.groups {
		pos = mustIndex(t, text, g.heading, pos)
		for _, name := range g.names {
			pos = mustIndex(t, text, name, pos)
		}
		end := len(text)
		if i+1 < len(fx.groups) {
			end = mustIndex(t, text, fx.groups[i+1].heading, pos)
		}
		m := totalRE.FindStringSubmatch(text[pos:end])
		want := fmt.Sprintf("%d Teilnehmende", len(g.names))
		if len(g.names) == 1 {
			want = "1 teilnehmende Person"
		}
		if m == nil || m[0] != want {
			t.Errorf("group %s: total %v, want %q", g.heading, m, want)
		}
	}

	// Days: all days as "beide", single days as dates.
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Öztürk, Şükrü .* 13\.09\. `),
		regexp.MustCompile(`Peters, Paul .* 14\.09\. `),
		regexp.MustCompile(`Sommer, Jonas .* beide `),
		regexp.MustCompile(`Schmidt, Heike .* beide `),
	} {
		if !want.MatchString(text) {
			t.Errorf("no line matches %s", want)
		}
	}

	pages := pdfPages(t, path)
	if !strings.Contains(text, fmt.Sprintf("Seite 1 von %d", pages)) {
		t.Errorf("no \"Seite 1 von %d\" in:\n%s", pages, text)
	}
}

func TestParticipantListOneDay(t *testing.T) {
	ev := meeting()
	ev.Days = ev.Days[:1]
	ev.Motto = "Gemeinsam stark"
	fx := cologneFixture()
	text := pdfText(t, render(t, ev, fx))
	if strings.Contains(text, "Tage") || strings.Contains(text, "beide") {
		t.Error("a one-day meeting has a Tage column")
	}
	for _, want := range []string{"13.09.2017 · Gürzenich, Köln", "„Gemeinsam stark“"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q", want)
		}
	}
}

// TestParticipantListPlaceOrder orders municipalities by place, as the
// pages do (municipality.SortKey): Stadt Köln after Kreis Coesfeld and
// before Kreis Warendorf, not after all the Kreise.
func TestParticipantListPlaceOrder(t *testing.T) {
	fx := &fixture{municipalities: map[int64]municipality.Municipality{
		1: {ID: 1, Name: "Stadt Köln", Kind: municipality.Stadt},
		2: {ID: 2, Name: "Kreis Warendorf", Kind: municipality.Kreis},
		3: {ID: 3, Name: "Kreis Coesfeld", Kind: municipality.Kreis},
		4: {ID: 4, Name: "Stadt Ahlen", Kind: municipality.Stadt},
		5: {ID: 5, Name: "Kreis Recklinghausen", Kind: municipality.Kreis},
		6: {ID: 6, Name: "Stadt Recklinghausen", Kind: municipality.Stadt},
	}}
	for id := int64(1); id <= 6; id++ {
		fx.add(id, "", "", "Person", "Nummer"+strconv.FormatInt(id, 10), registration.Confirmed)
	}
	fx.add(0, "Stadt Bonn, Bundesamt", "", "Gerda", "Gast", registration.Confirmed)
	text := pdfText(t, render(t, meeting(), fx))
	inOrder(t, text, "Stadt Ahlen", "Kreis Coesfeld", "Stadt Köln", "Kreis Recklinghausen", "Stadt Recklinghausen",
		"Kreis Warendorf", "Stadt Bonn, Bundesamt")
}

func TestParticipantListEmpty(t *testing.T) {
	text := pdfText(t, render(t, meeting(), &fixture{}))
	for _, want := range []string{"keine bestätigten Anmeldungen", "Gesamt: 0 Teilnehmende", "Seite 1 von 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
}

// TestParticipantListText checks text that the fonts cannot show
// (an emoji, full-width letters) and letters the Go fonts lacked (ẞ, ễ).
func TestParticipantListText(t *testing.T) {
	fx := &fixture{municipalities: map[int64]municipality.Municipality{1: {ID: 1, Name: "GROẞSTADT", Kind: municipality.Stadt}}}
	fx.add(1, "", "", "Nguyễn", "Trần", registration.Confirmed)
	fx.regs[0].Function = "Leitung 😀 Jugendamt\tKoordination\n(Prävention) ＮＲＷ"
	fx.regs[0].Email = "sehr.lange.adresse.der.jugendhilfeplanung@kreis-recklinghausen-beispiel.de"
	fx.add(1, "", "", "Zoë", "Mu\u0308ller", registration.Confirmed) // decomposed ü
	fx.municipalities[2] = municipality.Municipality{ID: 2, Name: "LVR-Landesjugendamt Rheinland", Kind: municipality.Organisation}
	fx.add(2, "", "", "Lena", "Landschaft", registration.Confirmed)
	fx.add(99, "", "", "Udo", "Unbekannt", registration.Confirmed) // municipality since deleted
	text := pdfText(t, render(t, meeting(), fx))
	if i, j := strings.Index(text, "LVR-Landesjugendamt"), strings.Index(text, "Ohne Kommune"); i < 0 || j < i {
		t.Errorf("want LVR-Landesjugendamt, then Ohne Kommune, in:\n%s", text)
	}
	for _, want := range []string{"Gesamt: 4 Teilnehmende aus 1 Kommune und 1 weiteren Organisation", "GROẞSTADT", "Trần, Nguyễn", "Leitung ? Jugendamt", "(Prävention) NRW", "Müller, Zoë", "sehr.lange.adresse.der.", "recklinghausen-beispiel.de"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
}

// functions are typical entries of the Funktion field, short and long.
var functions = []string{
	"Jugendamt, Jugendhilfeplanung",
	"Fachbereich Jugend, Familie und Bildung – Abteilung Jugendhilfeplanung und Prävention",
	"Sozialplanung",
	"Leitung Gesundheitsamt",
	"Stabsstelle Integriertes Handlungskonzept gegen Kinderarmut",
}

func thousand() *fixture {
	fx := &fixture{municipalities: map[int64]municipality.Municipality{}}
	for m := int64(1); m <= 40; m++ {
		fx.municipalities[m] = municipality.Municipality{ID: m, Name: fmt.Sprintf("Stadt Beispiel %02d", m), Kind: municipality.Stadt}
	}
	for i := range 1000 {
		days := []string{"2017-09-13", "2017-09-14"}[:1+i%2]
		fx.add(int64(1+i%40), "", "", fmt.Sprintf("Vorname %d", i), fmt.Sprintf("Nachname %04d", i), registration.Confirmed, days...)
		fx.regs[i].Function = functions[i/40%len(functions)]
	}
	return fx
}

func TestParticipantListManyPages(t *testing.T) {
	fx := thousand()
	path := render(t, meeting(), fx)
	text := pdfText(t, path)
	pages := pdfPages(t, path)
	if pages < 10 {
		t.Fatalf("1000 participants on %d pages", pages)
	}
	texts := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(texts) != pages {
		t.Fatalf("pdftotext found %d pages, pdfinfo %d", len(texts), pages)
	}
	heading := regexp.MustCompile(`^Stadt Beispiel \d\d( \(Fortsetzung\))?$`)
	rowRE := regexp.MustCompile(`^\s*(\d+)\s+Nachname`)
	next := 1
	for i, page := range texts {
		want := fmt.Sprintf("Seite %d von %d", i+1, pages)
		if strings.Count(page, "Seite ") != 1 || !strings.Contains(page, want) {
			t.Errorf("page %d: no single %q", i+1, want)
		}
		for _, s := range []string{"17. Lernnetzwerktreffen", "„Wir wollen die Prävention stärken!“", "Gürzenich, Köln", "Stand: 13.09.2017 08:30"} {
			if !strings.Contains(page, s) {
				t.Errorf("page %d: header or footer lacks %q", i+1, s)
			}
		}
		var last string
		for _, line := range strings.Split(page, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "Stand:") {
				continue
			}
			last = line
			// Running numbers continue across pages without gaps.
			if m := rowRE.FindStringSubmatch(line); m != nil {
				if n, _ := strconv.Atoi(m[1]); n != next {
					t.Fatalf("page %d: row %d follows %d", i+1, n, next-1)
				}
				next++
			}
		}
		if heading.MatchString(last) {
			t.Errorf("page %d ends with the heading %q", i+1, last)
		}
	}
	if next != 1001 {
		t.Errorf("%d rows found, want 1000", next-1)
	}
	if !strings.Contains(text, "(Fortsetzung)") {
		t.Error("no continued group heading")
	}
	for m := 1; m <= 40; m++ {
		if !strings.Contains(text, fmt.Sprintf("Stadt Beispiel %02d\n", m)) {
			t.Errorf("no heading for Stadt Beispiel %02d", m)
		}
	}
	if got := strings.Count(text, "25 Teilnehmende"); got != 40 {
		t.Errorf("%d group totals of 25, want 40", got)
	}
	if !strings.Contains(text, "Gesamt: 1000 Teilnehmende aus 40 Kommunen") {
		t.Error("overall total missing")
	}
}

func TestParticipantListConcurrent(t *testing.T) {
	fx := cologneFixture()
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, 8)
	errs := make([]error, 8)
	for i := range outs {
		wg.Go(func() {
			errs[i] = document.ParticipantList(&outs[i], meeting(), fx.regs, fx.municipalities, nil, generatedAt)
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

func TestParticipantListNoEvent(t *testing.T) {
	if err := document.ParticipantList(io.Discard, nil, nil, nil, nil, generatedAt); err == nil {
		t.Error("no error without an event")
	}
}

func BenchmarkParticipantList1000(b *testing.B) {
	fx := thousand()
	ev := meeting()
	b.ReportAllocs()
	for b.Loop() {
		if err := document.ParticipantList(io.Discard, ev, fx.regs, fx.municipalities, nil, generatedAt); err != nil {
			b.Fatal(err)
		}
	}
}
