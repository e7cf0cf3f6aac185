package document_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

func programmeMeeting() *event.Event {
	return &event.Event{
		ID:           17,
		Kind:         event.Lernnetzwerktreffen,
		Number:       17,
		Motto:        "Wir wollen die Prävention stärken!",
		Days:         day.List{day.MustParse("2017-09-14"), day.MustParse("2017-09-13")},
		StartTime:    "09:00",
		EndTime:      "16:15",
		VenueName:    "Gürzenich Köln",
		VenueAddress: "Martinstraße 29–37\n50667 Köln",
		VenueCity:    "Köln",
		Organiser:    "Institut für Soziale Arbeit e.V. (ISA)",
		CoOrganisers: "LVR-Landesjugendamt Rheinland (Koordinationsstelle Kinderarmut)",
		Status:       event.Published,
	}
}

// progItem is an item of the sample programme.
type progItem struct {
	day        int // 0 or 1
	start, end string
	kind       agenda.Kind
	title      string
	room       string
	moderation string
	speakers   []agenda.Speaker
	long       int // sentences of description
	slot       bool
}

var (
	spLohmann             = agenda.Speaker{Name: "Petra Lohmann", Title: "Dr.", Function: "Servicestelle Prävention", Organisation: "Institut für Soziale Arbeit e.V."}
	spMoeller             = agenda.Speaker{Name: "Andrea Möller", Function: "Staatssekretärin", Organisation: "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW"}
	spWeissenborn         = agenda.Speaker{Name: "Jürgen Weißenborn", Title: "Prof. Dr.", Function: "Professur für Sozialpolitik", Organisation: "Hochschule Düsseldorf"}
	spWeiss               = agenda.Speaker{Name: "Sabine Weiß", Function: "Kommunale Koordination", Organisation: "Stadt Ahlen"}
	spNowak               = agenda.Speaker{Name: "Łukasz Nowak", Function: "Jugendhilfeplanung", Organisation: "Kreis Coesfeld"}
	spKaya                = agenda.Speaker{Name: "Ayşe Kaya", Function: "Integrationsagentur", Organisation: "Stadt Gelsenkirchen"}
	spYilmaz              = agenda.Speaker{Name: "Özlem Yılmaz", Title: "Dr.", Function: "Sozialplanung", Organisation: "Stadt Gelsenkirchen"}
	spSciegienny          = agenda.Speaker{Name: "Zdzisław Ściegienny", Organisation: "LVR-Landesjugendamt Rheinland"}
	spBrzeczyszczykiewicz = agenda.Speaker{Name: "Grzegorz Brzęczyszczykiewicz", Title: "Prof. Dr.", Function: "Institut für Kindheitsforschung", Organisation: "Universität Duisburg-Essen"}
	spOzturk              = agenda.Speaker{Name: "Şükrü Öztürk", Title: "Dr.", Function: "Gesundheitsamt", Organisation: "Kreis Düren"}
	spSzymanska           = agenda.Speaker{Name: "Małgorzata Szymańska", Function: "Schulamt", Organisation: "Stadt Übach-Palenberg"}
	spGross               = agenda.Speaker{Name: "Elfriede Groß", Function: "Bürgermeisterin", Organisation: "Stadt Köln"}
)

// progSample is a two-day programme in time order: 15 items a day,
// each title unique and no title part of another text.
var progSample = []progItem{
	{0, "09:00", "10:00", agenda.Other, "Ankommen und Anmeldung", "Foyer", "", nil, 1, false},
	{0, "10:00", "10:15", agenda.Welcome, "Begrüßung", "Großer Saal", "", []agenda.Speaker{spLohmann}, 0, false},
	{0, "10:15", "10:30", agenda.Address, "Grußwort des Ministeriums", "Großer Saal", "", []agenda.Speaker{spMoeller}, 0, false},
	{0, "10:30", "11:15", agenda.Keynote, "Bedingungen gelingenden Aufwachsens", "Großer Saal", "", []agenda.Speaker{spWeissenborn}, 5, false},
	{0, "11:15", "11:30", agenda.Break, "Kaffeepause", "Foyer", "", nil, 0, false},
	{0, "11:30", "12:00", agenda.Practice, "Steuerung in der Stadt Ahlen", "Großer Saal", "Heike Dreßen, ISA", []agenda.Speaker{spWeiss, spNowak}, 2, false},
	{0, "12:00", "12:30", agenda.Impulse, "Zugänge für Familien mit Fluchterfahrung", "Großer Saal", "", []agenda.Speaker{spKaya}, 6, false},
	{0, "12:30", "13:30", agenda.Lunch, "Mittagessen", "Restaurant im Erdgeschoss", "", nil, 0, false},
	{0, "13:30", "14:00", agenda.Talk, "Daten für die Präventionskette", "Großer Saal", "", []agenda.Speaker{spYilmaz}, 3, false},
	{0, "14:00", "15:30", agenda.WorkingGroups, "Arbeitsgruppen", "", "", nil, 2, true},
	{0, "15:30", "15:45", agenda.Break, "Kaffee und Kuchen", "Foyer", "", nil, 0, false},
	{0, "15:45", "16:15", agenda.Panel, "Prävention als Gemeinschaftsaufgabe", "Großer Saal", "Heike Dreßen, ISA", []agenda.Speaker{spWeissenborn, spWeiss, spOzturk}, 5, false},
	{0, "16:15", "16:30", agenda.Reading, "Geschichten vom Großwerden", "Großer Saal", "", []agenda.Speaker{spSciegienny}, 2, false},
	{0, "16:30", "16:45", agenda.Closing, "Rückblick auf den ersten Tag", "Großer Saal", "", []agenda.Speaker{spLohmann}, 0, false},
	{0, "18:30", "21:00", agenda.Other, "Abend im Brauhaus Früh", "Am Hof 12–18", "", nil, 2, false},
	{1, "09:00", "09:15", agenda.Welcome, "Guten Morgen aus Köln", "Großer Saal", "", []agenda.Speaker{spLohmann}, 0, false},
	{1, "09:15", "10:00", agenda.Keynote, "Kinderarmut begegnen: Was Kommunen tun können", "Großer Saal", "", []agenda.Speaker{spBrzeczyszczykiewicz}, 7, false},
	{1, "10:00", "10:30", agenda.Talk, "Gesundheitsförderung im Quartier", "Großer Saal", "", []agenda.Speaker{spOzturk}, 3, false},
	{1, "10:30", "10:45", agenda.Break, "Stehkaffee", "Foyer", "", nil, 0, false},
	{1, "10:45", "11:30", agenda.Practice, "Praxisbeispiel Kreis Düren: Lotsenmodelle", "Großer Saal", "", []agenda.Speaker{spOzturk, spNowak}, 4, false},
	{1, "11:30", "12:00", agenda.Practice, "Praxisbeispiel Übach-Palenberg: Kita und Schule", "Großer Saal", "", []agenda.Speaker{spSzymanska}, 4, false},
	{1, "12:00", "13:00", agenda.Lunch, "Mittagsimbiss", "Foyer", "", nil, 0, false},
	{1, "13:00", "13:30", agenda.Impulse, "Beteiligung von Kindern und Jugendlichen", "Großer Saal", "", []agenda.Speaker{spKaya}, 5, false},
	{1, "13:30", "14:15", agenda.Panel, "Streitgespräch: Wie viel Steuerung braucht es?", "Großer Saal", "Łukasz Nowak", []agenda.Speaker{spYilmaz, spWeissenborn}, 6, false},
	{1, "14:15", "14:30", agenda.Break, "Bewegungspause", "", "", nil, 0, false},
	{1, "14:30", "15:00", agenda.Talk, "Von der Kita in die Schule", "Großer Saal", "", []agenda.Speaker{spSzymanska}, 3, false},
	{1, "15:00", "15:20", agenda.Address, "Grußwort der gastgebenden Stadt", "Großer Saal", "", []agenda.Speaker{spGross}, 0, false},
	{1, "15:20", "15:40", agenda.Other, "Marktplatz der Ideen", "Foyer", "", nil, 4, false},
	{1, "15:40", "16:00", agenda.Closing, "Abschluss und Ausblick", "Großer Saal", "", []agenda.Speaker{spLohmann, spSciegienny}, 1, false},
	{1, "16:00", "16:15", agenda.Other, "Verabschiedung", "Großer Saal", "", nil, 0, false},
}

// progSentences make up descriptions; none contains a title.
var progSentences = []string{
	"Präventionsketten verbinden die Angebote für Kinder, Jugendliche und ihre Familien von der Geburt bis zum Eintritt in den Beruf.",
	"Die Kommunen berichten, wie sie Ämter, freie Träger und Schulen an einen Tisch bringen und verbindliche Absprachen treffen.",
	"Dabei geht es auch um die Frage, welche Daten für eine kleinräumige Planung gebraucht werden und wer sie pflegt.",
	"Im Anschluss ist Zeit für Fragen und für den Austausch mit den Kolleginnen und Kollegen aus den übrigen Kommunen.",
	"Erfahrungen aus Gelsenkirchen, Dormagen und Mönchengladbach zeigen, dass ein langer Atem nötig ist.",
	"Ärztinnen, Hebammen und Fachkräfte der Frühen Hilfen gehören ebenso dazu wie Jobcenter und Sozialämter.",
}

const progSlotID = 10

// sampleSlots, progGroups: four afternoon groups in slot 10, given out
// of order, and a group of another slot that no item links to.
func progGroups(tokens bool) ([]workinggroup.Slot, []workinggroup.Group) {
	slots := []workinggroup.Slot{
		{ID: 20, EventID: 17, Day: day.MustParse("2017-09-14"), StartsAt: "10:45", EndsAt: "12:00", Label: "Foren"},
		{ID: progSlotID, EventID: 17, Day: day.MustParse("2017-09-13"), StartsAt: "14:00", EndsAt: "15:30", Label: "Arbeitsgruppen am Nachmittag"},
	}
	last := "Zum Schluss sammelt die Gruppe Fragen an das Land."
	if tokens {
		last += " Kennung-AG4"
	}
	groups := []workinggroup.Group{
		{ID: 104, SlotID: progSlotID, Position: 7, Title: "Beteiligung stärken", Theme: "Kinder und Jugendliche fragen", Room: "Raum Bielefeld",
			Moderators: "Çağla Yıldız", Description: "Wie lassen sich Kinder an der Planung beteiligen? " + last},
		{ID: 102, SlotID: progSlotID, Position: 2, Title: "Übergänge gestalten", Theme: "Kita und Grundschule", Room: "Raum Köln",
			Moderators: "Jörg Meißner", Inputs: []workinggroup.Input{{Title: "Stadt Gütersloh – Übergangsmanagement", Speaker: "Agnieszka Lewandowska"}}},
		{ID: 201, SlotID: 20, Position: 1, Title: "Forum Familienzentren", Room: "Großer Saal"},
		{ID: 103, SlotID: progSlotID, Position: 3, Title: "Gesundheit fördern", Room: "Raum Düsseldorf", Moderators: "Elif Doğan",
			Inputs: []workinggroup.Input{{Title: "Kreis Düren – Gesundheitskonferenz"}}},
		{ID: 101, SlotID: progSlotID, Position: 1, Title: "Zugänge erleichtern", Theme: "Lotsenmodelle", Room: "Saal 1 (Erdgeschoss)", Moderators: "Dr. Anna Weiß",
			Inputs: []workinggroup.Input{
				{Title: "Stadt Ahlen – Steuerungsstruktur", Speaker: "Maria Muster"},
				{Title: "Kreis Unna – Lotsen im Familienbüro", Speaker: "Şükrü Öztürk"},
			}},
	}
	return slots, groups
}

// progWantGroups are the afternoon groups as numbered in the programme.
var progWantGroups = []struct{ number, title, room string }{
	{"AG 1", "Zugänge erleichtern", "Raum: Saal 1 (Erdgeschoss)"},
	{"AG 2", "Übergänge gestalten", "Raum Köln"}, // named as typed, not "Raum: Raum Köln"
	{"AG 3", "Gesundheit fördern", "Raum Düsseldorf"},
	{"AG 4", "Beteiligung stärken", "Raum Bielefeld"},
}

// progToken marks the end of item i's description.
func progToken(i int) string { return fmt.Sprintf("Kennung-P%02d", i+1) }

// progAgendaItems turns sample into agenda items in scrambled order. With
// tokens every description ends in progToken(i), i the item's place in time
// order.
func progAgendaItems(ev *event.Event, sample []progItem, tokens bool) []agenda.Item {
	days := ev.Days.Normalize()
	slot := int64(progSlotID)
	var items []agenda.Item
	for k := range sample {
		i := k * 7 % len(sample) // 7 is coprime to 30 and to 8: a permutation
		s := sample[i]
		var desc []string
		for n := 0; n < s.long; n++ {
			desc = append(desc, progSentences[(i+n)%len(progSentences)])
			if n == 4 {
				desc = append(desc, "\n")
			}
		}
		if tokens {
			desc = append(desc, progToken(i))
		}
		it := agenda.Item{ID: int64(100 + k), EventID: ev.ID, Day: days[s.day], StartsAt: s.start, EndsAt: s.end, Kind: s.kind,
			Title: s.title, Room: s.room, Moderation: s.moderation, Speakers: s.speakers, Description: strings.Join(desc, " ")}
		if s.slot {
			it.WorkingGroupSlotID = &slot
		}
		items = append(items, it)
	}
	return items
}

func renderProgramme(t testing.TB, ev *event.Event, items []agenda.Item, slots []workinggroup.Slot, groups []workinggroup.Group) string {
	t.Helper()
	var buf bytes.Buffer
	if err := document.Programme(&buf, ev, items, slots, groups, nil, generatedAt); err != nil {
		t.Fatalf("Programme: %v", err)
	}
	path := filepath.Join(t.TempDir(), "programm.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// progPageTexts extracts each page's text on its own.
func progPageTexts(t *testing.T, path string) []string {
	t.Helper()
	n := pdfPages(t, path)
	pages := make([]string, n)
	for i := range pages {
		p := strconv.Itoa(i + 1)
		pages[i] = poppler(t, "pdftotext", "-layout", "-enc", "UTF-8", "-f", p, "-l", p, path, "-")
	}
	return pages
}

// progPageOf returns the pages that contain s.
func progPageOf(pages []string, s string) []int {
	var out []int
	for i, p := range pages {
		if strings.Contains(p, s) {
			out = append(out, i+1)
		}
	}
	return out
}

var (
	progWordRE   = regexp.MustCompile(`<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>`)
	progFooterRE = regexp.MustCompile(`^(Stand:|\d\d\.\d\d\.\d{4}|\d\d:\d\d|Seite|von|\d+)$`)
)

// progFooterClear checks that on every page only the footer reaches below
// the footer rule (282 mm from the top): text planned past the page's
// end would show there.
func progFooterClear(t *testing.T, path string) {
	t.Helper()
	const rule = (297.0 - 15) * 72 / 25.4 // points
	for n, page := range strings.Split(poppler(t, "pdftotext", "-bbox", path, "-"), "<page ")[1:] {
		for _, m := range progWordRE.FindAllStringSubmatch(page, -1) {
			yMin, _ := strconv.ParseFloat(m[1], 64)
			yMax, _ := strconv.ParseFloat(m[2], 64)
			if yMax > rule && (yMin < rule || !progFooterRE.MatchString(m[3])) {
				t.Errorf("page %d: %q reaches below the footer rule (%.0f–%.0f pt)", n+1, m[3], yMin, yMax)
			}
		}
	}
}

func TestProgramme(t *testing.T) {
	ev := programmeMeeting()
	items := progAgendaItems(ev, progSample, true)
	given := slices.Clone(items)
	slots, groups := progGroups(true)
	path := renderProgramme(t, ev, items, slots, groups)
	if !reflect.DeepEqual(items, given) {
		t.Error("Programme reordered the caller's items")
	}
	text := pdfText(t, path)
	pages := progPageTexts(t, path)
	n := len(pages)
	if n < 3 {
		t.Fatalf("%d pages: the sample should need at least 3 to test page breaks", n)
	}
	progFooterClear(t, path)

	// Title block, header and footer.
	inOrder(t, pages[0], "PROGRAMM", "17. Lernnetzwerktreffen", "„Wir wollen die Prävention stärken!“",
		"Mittwoch, 13. September 2017", "Donnerstag, 14. September 2017")
	for _, want := range []string{"Gürzenich Köln", "Martinstraße 29–37", "50667 Köln", "Institut für Soziale Arbeit e.V. (ISA)",
		"in Kooperation mit", "LVR-Landesjugendamt Rheinland", "(Koordinationsstelle Kinderarmut)"} {
		if !strings.Contains(pages[0], want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	for i, p := range pages {
		for _, want := range []string{fmt.Sprintf("Seite %d von %d", i+1, n), "Stand: 13.09.2017 08:30"} {
			if !strings.Contains(p, want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
		if i > 0 && (!strings.Contains(p, "17. Lernnetzwerktreffen") || !strings.Contains(p, "13.–14.09.2017 · Köln")) {
			t.Errorf("page %d lacks the running header:\n%s", i+1, p)
		}
	}

	// Items in time order, day by day, each title once.
	pos := 0
	for i, s := range progSample {
		if c := strings.Count(text, s.title); c != 1 {
			t.Fatalf("title %q occurs %d times", s.title, c)
		}
		if i > 0 && s.day != progSample[i-1].day {
			pos = mustIndex(t, text, "Donnerstag, 14. September 2017", pos)
		}
		at := mustIndex(t, text, s.title, pos)
		pos = at
	}
	if strings.Contains(text, "Kennung-P") && strings.Index(text, progToken(0)) > strings.Index(text, progToken(29)) {
		t.Error("tokens out of order")
	}

	// No item is split: title, time and the end of the description (the
	// token) share a page.
	for i, s := range progSample {
		title := progPageOf(pages, s.title)
		end := progPageOf(pages, progToken(i))
		if len(title) != 1 || len(end) != 1 || title[0] != end[0] {
			t.Errorf("item %q: title on pages %v, end of description on pages %v", s.title, title, end)
			continue
		}
		if when := s.start + "–" + s.end; !strings.Contains(pages[title[0]-1], when) {
			t.Errorf("item %q: time %s not on page %d", s.title, when, title[0])
		}
	}
	// Neither is the working-group item: all four groups are on its page.
	wgPage := progPageOf(pages, "Arbeitsgruppen")
	if len(wgPage) != 1 {
		t.Fatalf("working groups on pages %v", wgPage)
	}
	for _, g := range append(progWantGroups, struct{ number, title, room string }{"AG 4", "Kennung-AG4", "Inputs:"}) {
		for _, s := range []string{g.number, g.title, g.room} {
			if got := progPageOf(pages, s); !slices.Contains(got, wgPage[0]) {
				t.Errorf("%q on pages %v, not with the working groups on page %d", s, got, wgPage[0])
			}
		}
	}
	inOrder(t, text, "Zugänge erleichtern", "Gesundheit fördern")
	inOrder(t, text, "Übergänge gestalten", "Beteiligung stärken")
	for _, want := range []string{"Stadt Ahlen – Steuerungsstruktur", "Lotsen im Familienbüro", "Şükrü", "Lewandowska",
		"Moderation: Dr. Anna Weiß", "Moderation: Çağla Yıldız", "Lotsenmodelle"} {
		if !strings.Contains(text, want) {
			t.Errorf("working groups lack %q", want)
		}
	}
	if strings.Contains(text, "Forum Familienzentren") {
		t.Error("a group of a slot no item links to is shown")
	}
	// A group's theme is on the line below its title (two groups side by
	// side share the lines).
	if !regexp.MustCompile(`Zugänge erleichtern +Übergänge gestalten *\n *Lotsenmodelle +Kita und Grundschule *\n`).MatchString(text) {
		t.Errorf("titles and themes of AG 1 and AG 2 not on lines of their own:\n%s", text)
	}

	// A day heading never ends a page: its day's items start on its page.
	for d, label := range []string{"1. Tag", "2. Tag"} {
		for _, pg := range progPageOf(pages, label) {
			found := false
			for _, s := range progSample {
				found = found || s.day == d && strings.Contains(pages[pg-1], s.title)
			}
			if !found {
				t.Errorf("page %d has the heading of day %d but none of its items", pg, d+1)
			}
		}
	}

	// Details and UTF-8 text.
	for _, want := range []string{
		"KEYNOTE", "Raum: Großer Saal", "Moderation: Heike Dreßen, ISA", "PODIUMSDISKUSSION", "GRUSSWORT",
		"Prof. Dr. Jürgen Weißenborn, Professur für Sozialpolitik, Hochschule Düsseldorf",
		"Dr. Özlem Yılmaz, Sozialplanung", "Zdzisław Ściegienny", "Prof. Dr. Grzegorz Brzęczyszczykiewicz", "Małgorzata Szymańska",
		"Ayşe Kaya", "Ärztinnen, Hebammen", "10:00–10:15", "18:30–21:00",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("programme lacks %q", want)
		}
	}
	// The kind shows above "Rückblick auf den ersten Tag", not above
	// "Abschluss und Ausblick", which says it.
	if c := strings.Count(text, "ABSCHLUSS UND AUSBLICK"); c != 1 {
		t.Errorf("kind of the closing items shown %d times, want 1", c)
	}
}

func TestProgrammeOneDay(t *testing.T) {
	ev := programmeMeeting()
	ev.Days = day.List{day.MustParse("2017-09-13")}
	ev.Number, ev.Kind, ev.Title, ev.Motto = 0, event.Other, "Fachtag Kinderarmut", ""
	ev.CoOrganisers = ""
	var sample []progItem
	for _, s := range progSample[:7] {
		s.long = 0
		sample = append(sample, s)
	}
	sample = append(sample, progItem{0, "14:00", "15:00", agenda.WorkingGroups, "Foren", "", "", nil, 0, true})
	items := progAgendaItems(ev, sample, true)
	path := renderProgramme(t, ev, items, nil, nil)
	text := pdfText(t, path)

	inOrder(t, text, "Fachtag Kinderarmut", "TERMIN", "Mittwoch, 13. September 2017", "09:00–16:15 Uhr")
	pos := 0
	for i, s := range sample {
		pos = mustIndex(t, text, s.title, pos)
		mustIndex(t, text, progToken(i), pos)
	}
	for _, want := range []string{"Seite 1 von 1", "Die Arbeitsgruppen werden noch bekannt gegeben."} {
		if !strings.Contains(text, want) {
			t.Errorf("programme lacks %q", want)
		}
	}
	for _, absent := range []string{"1. Tag", "AG 1", "Kooperation", "Fortsetzung"} {
		if strings.Contains(text, absent) {
			t.Errorf("one-day programme shows %q", absent)
		}
	}
}

// TestProgrammeRooms prints rooms as event.RoomLine names them: "Raum:"
// before a room's name, unless the name already says it is a room.
func TestProgrammeRooms(t *testing.T) {
	ev := programmeMeeting()
	ev.Days = day.List{day.MustParse("2017-09-13")}
	sample := []progItem{
		{0, "10:00", "10:30", agenda.Keynote, "Eröffnungsvortrag", "Raum 2", "", []agenda.Speaker{spWeissenborn}, 0, false},
		{0, "10:30", "11:00", agenda.Talk, "Vortrag im Saal", "Großer Saal", "", nil, 0, false},
		{0, "11:00", "11:30", agenda.Other, "Ein Punkt mit einem recht langen Titel, der neben dem Raum keinen Platz lässt und darum umbricht", "Räume 3 und 4 im Erdgeschoss des Nordflügels", "", nil, 0, false},
		{0, "14:00", "15:30", agenda.WorkingGroups, "Arbeitsgruppen", "", "", nil, 0, true},
	}
	items := progAgendaItems(ev, sample, false)
	slots, _ := progGroups(false)
	groups := []workinggroup.Group{
		{ID: 1, SlotID: progSlotID, Position: 1, Title: "Zugänge erleichtern", Room: "Raum 5"},
		{ID: 2, SlotID: progSlotID, Position: 2, Title: "Übergänge gestalten", Room: "Bibliothek"},
	}
	text := pdfText(t, renderProgramme(t, ev, items, slots, groups))
	inOrder(t, text, "Raum 2", "Raum: Großer Saal", "Räume 3 und 4", "Raum 5")
	if !regexp.MustCompile(`Raum: +Bibliothek`).MatchString(text) {
		t.Errorf("the group's room lacks its label:\n%s", text)
	}
	for _, absent := range []string{"Raum: Raum", "Raum: Räume"} {
		if strings.Contains(text, absent) {
			t.Errorf("programme shows %q:\n%s", absent, text)
		}
	}
}

// TestProgrammeInputs names an input's municipality once, as lists do
// (workinggroup.Input.Line), also when its title starts with it.
func TestProgrammeInputs(t *testing.T) {
	ev := programmeMeeting()
	ev.Days = day.List{day.MustParse("2017-09-13")}
	items := progAgendaItems(ev, []progItem{{0, "14:00", "15:30", agenda.WorkingGroups, "Arbeitsgruppen", "", "", nil, 0, true}}, false)
	slots, _ := progGroups(false)
	ahlen, unna, coesfeld := int64(1), int64(2), int64(3)
	munis := map[int64]municipality.Municipality{
		ahlen:    {ID: ahlen, Name: "Stadt Ahlen", Kind: municipality.Stadt},
		unna:     {ID: unna, Name: "Kreis Unna", Kind: municipality.Kreis},
		coesfeld: {ID: coesfeld, Name: "Kreis Coesfeld", Kind: municipality.Kreis},
	}
	groups := []workinggroup.Group{{ID: 1, SlotID: progSlotID, Position: 1, Title: "Zugänge erleichtern", Inputs: []workinggroup.Input{
		{MunicipalityID: &ahlen, Title: "Stadt Ahlen – Steuerungsstruktur", Speaker: "Maria Muster"},
		{MunicipalityID: &unna, Title: "Lotsen im Familienbüro"},
		{MunicipalityID: &coesfeld, Title: "Coesfeld: Familienpaten"},
	}}}
	var buf bytes.Buffer
	if err := document.Programme(&buf, ev, items, slots, groups, munis, generatedAt); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, buf.Bytes()))
	inOrder(t, text, "Inputs:", "Stadt Ahlen – Steuerungsstruktur (Maria Muster)", "Kreis Unna – Lotsen im Familienbüro", "Coesfeld: Familienpaten")
	for _, absent := range []string{"Stadt Ahlen – Stadt Ahlen", "Kreis Coesfeld – Coesfeld"} {
		if strings.Contains(text, absent) {
			t.Errorf("programme shows %q:\n%s", absent, text)
		}
	}

	// Without municipalities the titles stand alone.
	text = pdfText(t, renderProgramme(t, ev, items, slots, groups))
	inOrder(t, text, "Stadt Ahlen – Steuerungsstruktur (Maria Muster)", "Lotsen im Familienbüro", "Coesfeld: Familienpaten")
	if strings.Contains(text, "Kreis Unna") {
		t.Error("Programme names a municipality it was not given")
	}
}

func TestProgrammeEmpty(t *testing.T) {
	ev := programmeMeeting()
	path := renderProgramme(t, ev, nil, nil, nil)
	text := pdfText(t, path)
	inOrder(t, text, "17. Lernnetzwerktreffen", "„Wir wollen die Prävention stärken!“", "Das Programm wird noch veröffentlicht.", "Seite 1 von 1")

	// An academy with a title shows kind and year above the title.
	ev.Kind, ev.Number, ev.Title = event.Fruehjahrsakademie, 0, "Stadtentwicklung und Sozialpolitik"
	ev.Days = day.List{day.MustParse("2018-05-17"), day.MustParse("2018-05-18")}
	text = pdfText(t, renderProgramme(t, ev, nil, nil, nil))
	inOrder(t, text, "Frühjahrsakademie 2018", "Stadtentwicklung und Sozialpolitik", "„Wir wollen die Prävention stärken!“",
		"Donnerstag, 17. Mai 2018", "Freitag, 18. Mai 2018", "Das Programm wird noch veröffentlicht.")
}

// TestProgrammeManyGroups gives a slot more groups than a page holds:
// the slot continues on the next pages, but no group is split.
func TestProgrammeManyGroups(t *testing.T) {
	ev := programmeMeeting()
	items := progAgendaItems(ev, progSample[:10], false)
	var groups []workinggroup.Group
	for i := range 14 {
		g := workinggroup.Group{ID: int64(300 + i), SlotID: progSlotID, Position: i, Title: fmt.Sprintf("Gruppe Nummer %02d", i+1),
			Room: fmt.Sprintf("Raum %02d", i+1), Moderators: "Dr. Anna Weiß, Jörg Meißner",
			Description: progSentences[3] + fmt.Sprintf(" Ende-AG%02d", i+1)}
		for k := range 6 {
			g.Inputs = append(g.Inputs, workinggroup.Input{Title: fmt.Sprintf("Stadt %d – Input mit längerem Titel über Zugänge", k+1), Speaker: "Łucja Jankowska"})
		}
		groups = append(groups, g)
	}
	slots, _ := progGroups(false)
	path := renderProgramme(t, ev, items, slots, groups)
	pages := progPageTexts(t, path)
	progFooterClear(t, path)
	if !strings.Contains(strings.Join(pages, ""), "Arbeitsgruppen (Fortsetzung)") {
		t.Error("the slot's continuation is not marked")
	}
	for i := range groups {
		title := progPageOf(pages, fmt.Sprintf("Gruppe Nummer %02d", i+1))
		room := progPageOf(pages, fmt.Sprintf("Raum %02d", i+1))
		end := progPageOf(pages, fmt.Sprintf("Ende-AG%02d", i+1))
		if len(end) != 1 || !reflect.DeepEqual(title, end) || !reflect.DeepEqual(room, end) {
			t.Errorf("group %d split: title on pages %v, room on %v, end on %v", i+1, title, room, end)
		}
	}
}

func TestProgrammeConcurrent(t *testing.T) {
	ev := programmeMeeting()
	items := progAgendaItems(ev, progSample, false)
	slots, groups := progGroups(false)
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, 6)
	errs := make([]error, 6)
	for i := range outs {
		wg.Go(func() { errs[i] = document.Programme(&outs[i], ev, items, slots, groups, nil, generatedAt) })
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
}

func TestProgrammeNoEvent(t *testing.T) {
	if err := document.Programme(io.Discard, nil, nil, nil, nil, nil, generatedAt); err == nil {
		t.Error("no error without an event")
	}
}

// TestProgrammeSample writes the two-day sample without test tokens to
// $TREFFEN_PROGRAMME_PDF, for screenshots:
// TREFFEN_PROGRAMME_PDF=/tmp/programm.pdf go test -run ProgrammeSample ./internal/document/
func TestProgrammeSample(t *testing.T) {
	out := os.Getenv("TREFFEN_PROGRAMME_PDF")
	if out == "" {
		t.Skip("set TREFFEN_PROGRAMME_PDF to write the sample programme")
	}
	ev := programmeMeeting()
	slots, groups := progGroups(false)
	var buf bytes.Buffer
	if err := document.Programme(&buf, ev, progAgendaItems(ev, progSample, false), slots, groups, nil, generatedAt); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkProgramme(b *testing.B) {
	ev := programmeMeeting()
	items := progAgendaItems(ev, progSample, false)
	slots, groups := progGroups(false)
	b.ReportAllocs()
	for b.Loop() {
		if err := document.Programme(io.Discard, ev, items, slots, groups, nil, generatedAt); err != nil {
			b.Fatal(err)
		}
	}
}

// TestProgrammeGroupsContinue gives a slot eight groups that fit on a
// page, but not below the first items: rather than leave most of the
// first page empty, the groups start there and continue on the next page
// under the repeated heading, between groups.
func TestProgrammeGroupsContinue(t *testing.T) {
	ev := programmeMeeting()
	sample := slices.Clone(progSample[:2])
	sample = append(sample, progItem{0, "14:00", "15:30", agenda.WorkingGroups, "Arbeitsgruppen", "", "", nil, 1, true})
	items := progAgendaItems(ev, sample, false)
	var groups []workinggroup.Group
	for i := range 8 {
		groups = append(groups, workinggroup.Group{ID: int64(300 + i), SlotID: progSlotID, Position: i,
			Title: fmt.Sprintf("Gruppe Nummer %02d", i+1), Theme: "Kita und Grundschule", Room: fmt.Sprintf("Raum %02d", i+1),
			Moderators: "Dr. Anna Weiß", Inputs: []workinggroup.Input{{Title: "Stadt Ahlen – Steuerungsstruktur", Speaker: "Maria Muster"}},
			Description: progSentences[i%len(progSentences)] + fmt.Sprintf(" Ende-AG%02d", i+1)})
	}
	slots, _ := progGroups(false)
	path := renderProgramme(t, ev, items, slots, groups)
	pages := progPageTexts(t, path)
	progFooterClear(t, path)
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	if !strings.Contains(pages[0], "Arbeitsgruppen") || !strings.Contains(pages[0], "Gruppe Nummer 01") {
		t.Errorf("the working groups do not start on page 1:\n%s", pages[0])
	}
	if !regexp.MustCompile(`14:00–15:30\s+Arbeitsgruppen \(Fortsetzung\)`).MatchString(pages[1]) {
		t.Errorf("page 2 does not repeat the heading with its time:\n%s", pages[1])
	}
	if strings.Contains(pages[0], "Fortsetzung") || !strings.Contains(pages[1], "Gruppe Nummer 08") {
		t.Errorf("the groups do not continue on page 2:\n%s", pages[1])
	}
	for i := range groups {
		title := progPageOf(pages, fmt.Sprintf("Gruppe Nummer %02d", i+1))
		end := progPageOf(pages, fmt.Sprintf("Ende-AG%02d", i+1))
		if len(end) != 1 || !reflect.DeepEqual(title, end) {
			t.Errorf("group %d split: title on pages %v, end on %v", i+1, title, end)
		}
	}
	// Page 1 is filled beyond three quarters of its height.
	if low := progLowestText(t, path, 1); low < 0.75*297 {
		t.Errorf("page 1 ends at %.0f mm: mostly empty", low)
	}
}

// progLowestText is the bottom of the lowest text above the footer on
// page n, in millimetres from the top.
func progLowestText(t *testing.T, path string, n int) float64 {
	t.Helper()
	const rule = 297.0 - 15
	low := 0.0
	p := strconv.Itoa(n)
	for _, m := range progWordRE.FindAllStringSubmatch(poppler(t, "pdftotext", "-bbox", "-f", p, "-l", p, path, "-"), -1) {
		yMax, _ := strconv.ParseFloat(m[2], 64)
		if mm := yMax * 25.4 / 72; mm < rule {
			low = max(low, mm)
		}
	}
	return low
}
