package document_test

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// sortedPeople are the participants of groupFixture in the order German
// lists (DIN 5007-1) expect: ä as a, ß as ss, ł as l, ı as i, ş as s.
var sortedPeople = [][3]string{ // last, first, academic title
	{"Akgül", "Ayşe", ""},
	{"Arslan", "Barış", ""},
	{"Bäcker", "Jürgen", ""},
	{"Becker", "Anna", ""},
	{"Çelik", "Emre", ""},
	{"Dąbrowski", "Piotr", ""},
	{"Doğan", "Elif", ""},
	{"Groß", "Heinz", ""},
	{"Große", "Ute", ""},
	{"Grossmann", "Till", ""},
	{"Işık", "Zeynep", ""},
	{"Jankowski", "Łucja", ""},
	{"Kaya", "İlkay", ""},
	{"Kowalczyk", "Grzegorz", ""},
	{"Lewandowska", "Agnieszka", ""},
	{"Łukasiewicz", "Mirosław", ""},
	{"Meißner", "Jörg", ""},
	{"Meyer", "Klaus", ""},
	{"Müller", "Süleyman", ""},
	{"Nowak", "Krystyna", ""},
	{"Öztürk", "Şükrü", ""},
	{"Paluch", "Jolanta", ""},
	{"Şahin", "Hatice", ""},
	{"Schulze", "Heike", ""},
	{"Strauß", "Grete", ""},
	{"Szymańska", "Małgorzata", ""},
	{"Weiß", "Anna", "Dr."},
	{"Weiss", "Bernd", ""},
	{"Wójcik", "Zdzisław", ""},
	{"Yılmaz", "Gökhan", ""},
}

// Indexes into sortedPeople with a role.
const (
	idxOzturk = 20 // gives an input in AG 1 of the afternoon (role Speaker)
	idxWeiss  = 26 // moderates AG 1 of the afternoon
	idxCelik  = 4  // gives an input in AG 1 of the next morning (input only)
)

// groupFixture is a two-day meeting with two slots of four groups.
type groupFixture struct {
	slots          []workinggroup.Slot
	groups         []workinggroup.Group
	assignments    []workinggroup.Assignment
	regs           []registration.Registration
	municipalities map[int64]municipality.Municipality
	id             []int64         // registration ID of sortedPeople[i]
	pages          []wantGroupPage // in the expected order
}

// wantGroupPage is what the first page of a group shows.
type wantGroupPage struct {
	groupID int64
	number  string // "AG 2"
	title   string
	room    string // as printed: "Raum: Großer Saal", but "Raum Köln" as typed
	when    string
	members []int // indexes into sortedPeople, in sorted order
	markers map[int]string
}

func ptrInt64(v int64) *int64 { return &v }

func newGroupFixture() *groupFixture {
	fx := &groupFixture{municipalities: map[int64]municipality.Municipality{
		1: {ID: 1, Name: "Stadt Köln", Kind: municipality.Stadt},
		2: {ID: 2, Name: "Stadt Übach-Palenberg", Kind: municipality.Stadt},
		3: {ID: 3, Name: "Kreis Düren", Kind: municipality.Kreis},
		4: {ID: 4, Name: "Stadt Ahlen", Kind: municipality.Stadt},
		5: {ID: 5, Name: "Stadt Gütersloh", Kind: municipality.Stadt},
	}}
	afternoon := workinggroup.Slot{ID: 10, EventID: 17, Day: day.MustParse("2017-09-13"), StartsAt: "14:00", EndsAt: "15:30", Label: "Arbeitsgruppen am Nachmittag"}
	morning := workinggroup.Slot{ID: 20, EventID: 17, Day: day.MustParse("2017-09-14"), StartsAt: "09:30", EndsAt: "11:00", Label: "Foren am Vormittag"}
	fx.slots = []workinggroup.Slot{morning, afternoon} // given out of time order

	// Registrations in scrambled order; IDs follow that order.
	fx.id = make([]int64, len(sortedPeople))
	for k := range sortedPeople {
		i := k * 7 % len(sortedPeople)
		p := sortedPeople[i]
		id := int64(len(fx.regs) + 1)
		fx.id[i] = id
		r := registration.Registration{ID: id, EventID: 17, LastName: p[0], FirstName: p[1], AcademicTitle: p[2],
			Function: functions[i%len(functions)], Status: registration.Confirmed}
		if i%6 == 5 {
			r.Organisation = "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW"
		} else {
			r.MunicipalityID = ptrInt64(int64(1 + i%5))
		}
		fx.regs = append(fx.regs, r)
	}

	g := func(id, slot int64, pos int, title, theme, room string) workinggroup.Group {
		return workinggroup.Group{ID: id, EventID: 17, SlotID: slot, Position: pos, Title: title, Theme: theme, Room: room, Capacity: 20}
	}
	a1 := g(101, 10, 1, "Zugänge erleichtern", "Lotsenmodelle", "Saal 1 (Erdgeschoss)")
	a1.Moderators = "Dr. Anna Weiß"
	a1.Inputs = []workinggroup.Input{
		// Typed with the municipality in front: it is named once.
		{Position: 0, MunicipalityID: ptrInt64(4), Title: "Stadt Ahlen – Steuerungsstruktur", Speaker: "Maria Muster"},
		{Position: 1, MunicipalityID: ptrInt64(3), Title: "Lotsen im Familienbüro", RegistrationID: ptrInt64(fx.id[idxOzturk])},
	}
	b1 := g(201, 20, 1, "Forum Familienzentren", "", "Großer Saal")
	b1.Inputs = []workinggroup.Input{{MunicipalityID: ptrInt64(5), Title: "Familienzentren im Quartier", RegistrationID: ptrInt64(fx.id[idxCelik])}}
	// Positions with gaps and out of order: numbered 1 to 4 in each slot.
	fx.groups = []workinggroup.Group{
		g(204, 20, 9, "Forum Beteiligung", "", "Raum Münster"),
		g(104, 10, 7, "Beteiligung stärken", "Kinder und Jugendliche fragen", "Raum Bielefeld"),
		g(102, 10, 2, "Übergänge gestalten", "Kita und Grundschule", "Raum Köln"),
		b1,
		g(103, 10, 3, "Gesundheit fördern", "", "Raum Düsseldorf"),
		a1,
		g(203, 20, 5, "Forum Gesundheit", "", "Raum Essen"),
		g(202, 20, 2, "Forum Übergänge", "", "Raum Aachen"),
	}

	// Afternoon: by turns over four groups, Weiß moderates AG 1.
	// Morning: ten neighbours in the sorted list each in three groups
	// (Groß, Große, Grossmann; Weiß, Weiss), the fourth stays empty.
	members := map[int64][]int{}
	markers := map[int64]map[int]string{101: {idxOzturk: "Input", idxWeiss: "Moderation"}, 201: {idxCelik: "Input"}}
	for k := range sortedPeople {
		i := k * 11 % len(sortedPeople) // assignments in scrambled order, too
		ga := int64(101 + i%4)
		role := workinggroup.Participant
		switch i {
		case idxOzturk:
			role = workinggroup.Speaker
		case idxWeiss:
			ga, role = 101, workinggroup.Moderator
		}
		gb := int64(201 + i/10)
		fx.assignments = append(fx.assignments,
			workinggroup.Assignment{RegistrationID: fx.id[i], SlotID: 10, WorkingGroupID: ga, Role: role},
			workinggroup.Assignment{RegistrationID: fx.id[i], SlotID: 20, WorkingGroupID: gb})
		members[ga] = append(members[ga], i)
		members[gb] = append(members[gb], i)
	}
	// Assigned, but not confirmed: not listed.
	for _, st := range []registration.Status{registration.Waitlisted, registration.Cancelled} {
		id := int64(len(fx.regs) + 1)
		fx.regs = append(fx.regs, registration.Registration{ID: id, EventID: 17, LastName: "Wartend-" + string(st), FirstName: "Wilma", Status: st})
		fx.assignments = append(fx.assignments, workinggroup.Assignment{RegistrationID: id, SlotID: 10, WorkingGroupID: 101})
	}

	whenA := "Mittwoch, 13. September 2017 · 14:00–15:30 Uhr · Arbeitsgruppen am Nachmittag"
	whenB := "Donnerstag, 14. September 2017 · 09:30–11:00 Uhr · Foren am Vormittag"
	for _, p := range []wantGroupPage{
		{groupID: 101, number: "AG 1", title: "Zugänge erleichtern", room: "Raum: Saal 1 (Erdgeschoss)", when: whenA},
		{groupID: 102, number: "AG 2", title: "Übergänge gestalten", room: "Raum Köln", when: whenA},
		{groupID: 103, number: "AG 3", title: "Gesundheit fördern", room: "Raum Düsseldorf", when: whenA},
		{groupID: 104, number: "AG 4", title: "Beteiligung stärken", room: "Raum Bielefeld", when: whenA},
		{groupID: 201, number: "AG 1", title: "Forum Familienzentren", room: "Raum: Großer Saal", when: whenB},
		{groupID: 202, number: "AG 2", title: "Forum Übergänge", room: "Raum Aachen", when: whenB},
		{groupID: 203, number: "AG 3", title: "Forum Gesundheit", room: "Raum Essen", when: whenB},
		{groupID: 204, number: "AG 4", title: "Forum Beteiligung", room: "Raum Münster", when: whenB},
	} {
		p.members = members[p.groupID]
		sort.Ints(p.members)
		p.markers = markers[p.groupID]
		fx.pages = append(fx.pages, p)
	}
	return fx
}

func renderGroupLists(t *testing.T, fx *groupFixture) string {
	t.Helper()
	var buf bytes.Buffer
	if err := document.WorkingGroupLists(&buf, meeting(), fx.slots, fx.groups, fx.assignments, fx.regs, fx.municipalities, generatedAt); err != nil {
		t.Fatalf("WorkingGroupLists: %v", err)
	}
	return writePDF(t, buf.Bytes())
}

// listed is a person as the tables show them.
func listed(i int) string {
	p := sortedPeople[i]
	if p[2] != "" {
		return p[0] + ", " + p[2] + " " + p[1]
	}
	return p[0] + ", " + p[1]
}

var markerRE = regexp.MustCompile(`(?m)^ *\d+ +(.+?) {2,}.* (Input|Moderation)$`)

func TestWorkingGroupLists(t *testing.T) {
	fx := newGroupFixture()
	path := renderGroupLists(t, fx)
	text := pdfText(t, path)
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if n := pdfPages(t, path); n != len(fx.pages) || len(pages) != n {
		t.Fatalf("%d pages (pdftotext: %d), want one per group: %d", n, len(pages), len(fx.pages))
	}
	for k, want := range fx.pages {
		page := pages[k]
		t.Run(want.number+" "+want.title, func(t *testing.T) {
			inOrder(t, page, "ARBEITSGRUPPE", "17. Lernnetzwerktreffen", want.when, want.number, want.title, want.room)
			for _, s := range []string{"Stand: 13.09.2017 08:30", fmt.Sprintf("Seite %d von %d", k+1, len(pages))} {
				if !strings.Contains(page, s) {
					t.Errorf("missing %q in:\n%s", s, page)
				}
			}
			if strings.Contains(page, "(Fortsetzung)") || strings.Contains(page, "Wartend") {
				t.Errorf("unexpected continuation or unconfirmed person in:\n%s", page)
			}
			if len(want.members) == 0 {
				if !strings.Contains(page, "Noch niemand zugeteilt.") || strings.Contains(page, "Kommune/Organisation") {
					t.Errorf("empty group shows a table or no notice:\n%s", page)
				}
				return
			}
			inOrder(t, page, "Nr.", "Name", "Kommune/Organisation", "Funktion", "Rolle")
			names := make([]string, len(want.members))
			for j, i := range want.members {
				names[j] = listed(i)
			}
			inOrder(t, page, names...)
			for i := range sortedPeople {
				if in := strings.Contains(page, listed(i)); in != (indexOf(want.members, i) >= 0) {
					t.Errorf("%s listed: %v", listed(i), in)
				}
			}
			if !strings.Contains(page, fmt.Sprintf("Teilnehmende: %d von 20 Plätzen belegt", len(want.members))) {
				t.Errorf("no occupancy in:\n%s", page)
			}
			got := map[string]string{}
			for _, m := range markerRE.FindAllStringSubmatch(page, -1) {
				got[m[1]] = m[2]
			}
			wantMarkers := map[string]string{}
			for i, m := range want.markers {
				wantMarkers[listed(i)] = m
			}
			if !reflect.DeepEqual(got, wantMarkers) {
				t.Errorf("role markers %v, want %v", got, wantMarkers)
			}
		})
	}
	inOrder(t, pages[0], "Moderation: Dr. Anna Weiß",
		"Inputs: Stadt Ahlen – Steuerungsstruktur (Maria Muster)",
		"Kreis Düren – Lotsen im Familienbüro (Şükrü Öztürk)")
	inOrder(t, pages[0], "Zugänge erleichtern", "Lotsenmodelle", "Raum:")
	// A room named "Raum Köln" is not labelled "Raum: Raum Köln".
	if strings.Contains(text, "Raum: Raum") {
		t.Errorf("a room's name repeats its label:\n%s", text)
	}
	if !regexp.MustCompile(`(?m)^Zugänge erleichtern *\nLotsenmodelle *$`).MatchString(pages[0]) {
		t.Errorf("title and theme not on lines of their own:\n%s", pages[0])
	}
	if strings.Contains(text, "Stadt Ahlen – Stadt Ahlen") {
		t.Errorf("an input names its municipality twice:\n%s", pages[0])
	}
	inOrder(t, pages[4], "Input: Stadt Gütersloh – Familienzentren im Quartier (Emre Çelik)")
	// A guest's organisation wraps within its column.
	if !strings.Contains(text, "Ministerium für Kinder,") {
		t.Error("guest organisation missing")
	}
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// TestWorkingGroupListsLong puts 70 people in one group: its list runs
// over several pages under "(Fortsetzung)", with every row whole on one
// page, followed by the next group.
func TestWorkingGroupListsLong(t *testing.T) {
	slot := workinggroup.Slot{ID: 1, Day: day.MustParse("2017-09-13"), StartsAt: "14:00", EndsAt: "15:30", Label: "Arbeitsgruppen"}
	groups := []workinggroup.Group{
		{ID: 1, SlotID: 1, Position: 1, Title: "Präventionsketten gemeinsam gestalten", Room: "Gürzenich, Großer Saal", Capacity: 80},
		{ID: 2, SlotID: 1, Position: 2, Title: "Kleine Runde", Room: "Raum 2", Capacity: 10},
	}
	var regs []registration.Registration
	var as []workinggroup.Assignment
	for i := range 70 {
		id := int64(i + 1)
		regs = append(regs, registration.Registration{ID: id, FirstName: "Vorname", LastName: fmt.Sprintf("Nachname %03d", i),
			Function: fmt.Sprintf("Fachbereich Jugend, Familie und Bildung – Abteilung Jugendhilfeplanung und Prävention K%03d", i),
			Status:   registration.Confirmed})
		as = append(as, workinggroup.Assignment{RegistrationID: id, SlotID: 1, WorkingGroupID: 1})
	}
	var buf bytes.Buffer
	if err := document.WorkingGroupLists(&buf, meeting(), []workinggroup.Slot{slot}, groups, as, regs, nil, generatedAt); err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, buf.Bytes())
	pages := strings.Split(strings.TrimRight(pdfText(t, path), "\f"), "\f")
	if n := pdfPages(t, path); n < 4 || n != len(pages) {
		t.Fatalf("%d pages (pdftotext: %d), want at least 3 for the long group and 1 for the next", n, len(pages))
	}
	last := len(pages) - 1
	if !strings.Contains(pages[last], "Kleine Runde") || !strings.Contains(pages[last], "Noch niemand zugeteilt.") {
		t.Errorf("last page is not the empty group:\n%s", pages[last])
	}
	rowRE := regexp.MustCompile(`(?m)^\s*(\d+)\s+Nachname (\d{3}), Vorname`)
	next := 1
	for k, page := range pages[:last] {
		if !strings.Contains(page, fmt.Sprintf("Seite %d von %d", k+1, len(pages))) || !strings.Contains(page, "Arbeitsgruppen") {
			t.Errorf("page %d lacks header or footer:\n%s", k+1, page)
		}
		if cont := strings.Contains(page, "AG 1: Präventionsketten gemeinsam gestalten (Fortsetzung)"); cont != (k > 0) {
			t.Errorf("page %d: continuation heading %v", k+1, cont)
		}
		rows := rowRE.FindAllStringSubmatch(page, -1)
		if len(rows) == 0 {
			t.Fatalf("page %d has no rows:\n%s", k+1, page)
		}
		for _, m := range rows {
			n, _ := strconv.Atoi(m[1])
			if n != next {
				t.Fatalf("page %d: row %d follows %d", k+1, n, next-1)
			}
			next++
			// The function wraps; its last line stays on the row's page.
			if !strings.Contains(page, "K"+m[2]) {
				t.Errorf("page %d: row of Nachname %s split", k+1, m[2])
			}
		}
	}
	if next != 71 {
		t.Errorf("%d rows, want 70", next-1)
	}
}

func TestWorkingGroupListsNone(t *testing.T) {
	var buf bytes.Buffer
	if err := document.WorkingGroupLists(&buf, meeting(), nil, nil, nil, nil, nil, generatedAt); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, buf.Bytes()))
	for _, want := range []string{"17. Lernnetzwerktreffen", "13.–14.09.2017", "keine Arbeitsgruppen angelegt", "Seite 1 von 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if err := document.WorkingGroupLists(io.Discard, nil, nil, nil, nil, nil, nil, generatedAt); err == nil {
		t.Error("no error without an event")
	}
}

func TestWorkingGroupListsConcurrent(t *testing.T) {
	fx := newGroupFixture()
	outs := make([]bytes.Buffer, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() {
			errs[i] = document.WorkingGroupLists(&outs[i], meeting(), fx.slots, fx.groups, fx.assignments, fx.regs, fx.municipalities, generatedAt)
		})
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(outs[i].Bytes(), outs[0].Bytes()) {
			t.Errorf("rendering %d differs from rendering 0", i)
		}
	}
}

func TestWorkingGroupLabels(t *testing.T) {
	fx := newGroupFixture()
	labels := document.WorkingGroupLabels(fx.slots, fx.groups, fx.assignments)
	type label = document.WorkingGroupLabel
	zugaenge := label{Name: "AG 1: Zugänge erleichtern", Theme: "Lotsenmodelle"}
	for i, want := range map[int][]label{
		idxOzturk: {zugaenge, {Name: "AG 3: Forum Gesundheit"}},
		idxWeiss:  {zugaenge, {Name: "AG 3: Forum Gesundheit"}},
		idxCelik:  {zugaenge, {Name: "AG 1: Forum Familienzentren"}},
		12:        {zugaenge, {Name: "AG 2: Forum Übergänge"}},
		3:         {{Name: "AG 4: Beteiligung stärken", Theme: "Kinder und Jugendliche fragen"}, {Name: "AG 1: Forum Familienzentren"}},
	} {
		if got := labels[fx.id[i]]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q, want %q", listed(i), got, want)
		}
	}
	if got := document.WorkingGroupLabels(fx.slots, fx.groups, nil); got != nil {
		t.Errorf("labels without assignments: %v", got)
	}
}

// TestParticipantListWorkingGroups shows each person's groups in the
// participant list.
func TestParticipantListWorkingGroups(t *testing.T) {
	gf := newGroupFixture()
	fx := &fixture{municipalities: gf.municipalities, regs: gf.regs,
		labels: document.WorkingGroupLabels(gf.slots, gf.groups, gf.assignments)}
	text := pdfText(t, render(t, meeting(), fx))
	for _, want := range []string{"Arbeitsgruppe(n)", "Tage", "E-Mail", "Gesamt: 30 Teilnehmende"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q", want)
		}
	}
	for _, c := range []struct {
		i      int
		first  string // on the name's line
		second string // on a line below
	}{
		{idxOzturk, "AG 1: Zugänge", "AG 3: Forum Gesundheit"},
		{idxCelik, "AG 1: Zugänge", "AG 1: Forum"},
		{12, "AG 1: Zugänge", "AG 2: Forum Übergänge"},
		{1, "AG 2: Übergänge", "AG 1: Forum"},
	} {
		re := regexp.MustCompile(regexp.QuoteMeta(listed(c.i)) + ` .* ` + regexp.QuoteMeta(c.first))
		loc := re.FindStringIndex(text)
		if loc == nil {
			t.Errorf("no line with %s and %q in:\n%s", listed(c.i), c.first, text)
			continue
		}
		if rest := text[loc[1]:min(len(text), loc[1]+800)]; !strings.Contains(rest, c.second) {
			t.Errorf("%s: %q not below %q", listed(c.i), c.second, c.first)
		}
	}
	// A theme stands on the line below its group, not after a dash.
	for _, theme := range []string{"Lotsenmodelle", "Kinder und Jugendliche fragen"} {
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, theme) && strings.Contains(line, "AG ") {
				t.Errorf("theme %q on its group's line: %q", theme, line)
			}
		}
	}
	for _, re := range []string{`AG 1: Zugänge erleichtern *\n[^\n]* Lotsenmodelle *\n`, `AG 4: Beteiligung stärken *\n[^\n]* Kinder und Jugendliche fragen *\n`} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("no match for %s in:\n%s", re, text)
		}
	}

	// Without labels there is no column.
	fx.labels = map[int64][]document.WorkingGroupLabel{}
	if text := pdfText(t, render(t, meeting(), fx)); strings.Contains(text, "Arbeitsgruppe") || !strings.Contains(text, "Öztürk, Şükrü") {
		t.Error("empty labels: column shown or names missing")
	}
}
