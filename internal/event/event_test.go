package event_test

import (
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

// Rooms stay as typed; running text labels those that do not already
// say they are a room.
func TestRoomLine(t *testing.T) {
	for in, want := range map[string]string{"Raum 2": "Raum 2", "Raum Ruhr": "Raum Ruhr", "raum: Großer Saal": "raum: Großer Saal",
		"Großer Saal": "Raum: Großer Saal", "Räume 1 und 2": "Räume 1 und 2", "Raumschiff Enterprise": "Raum: Raumschiff Enterprise",
		"Raum": "Raum", " 1.12 ": "Raum: 1.12", "": ""} {
		if got := event.RoomLine(in); got != want {
			t.Errorf("RoomLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNamesAndRegistrationWindow(t *testing.T) {
	ev := event.Event{Kind: event.Lernnetzwerktreffen, Number: 17, Days: day.List{day.MustParse("2017-09-13")}, Status: event.Published, VenueName: "Gürzenich", VenueCity: "Köln"}
	if ev.Name() != "17. Lernnetzwerktreffen" || ev.Place() != "Gürzenich, Köln" {
		t.Fatalf("name %q place %q", ev.Name(), ev.Place())
	}
	academy := event.Event{Kind: event.Fruehjahrsakademie, Days: day.List{day.MustParse("2018-05-17")}}
	if academy.Name() != "Frühjahrsakademie 2018" {
		t.Fatalf("academy %q", academy.Name())
	}
	before := time.Date(2017, 9, 1, 12, 0, 0, 0, time.UTC)
	if st := ev.RegistrationStateAt(before); !st.Open {
		t.Fatalf("open before the meeting: %+v", st)
	}
	closes := time.Date(2017, 8, 30, 0, 0, 0, 0, time.UTC)
	ev.RegistrationClosesAt = &closes
	if st := ev.RegistrationStateAt(before); st.Open || st.Reason == "" {
		t.Fatalf("after the deadline: %+v", st)
	}
	after := time.Date(2017, 9, 14, 12, 0, 0, 0, time.UTC)
	ev.RegistrationClosesAt = nil
	if st := ev.RegistrationStateAt(after); st.Open || st.Reason != "Diese Veranstaltung hat bereits stattgefunden." {
		t.Fatalf("after the meeting: %+v", st)
	}
}

// A deadline typed as a date is stored as the next midnight; it must read
// as that whole day, matching the instant RegistrationStateAt closes at.
func TestDeadlineShowsTheLastDayPeopleMayRegister(t *testing.T) {
	closes, err := event.ParseMoment("2026-12-30", true)
	if err != nil {
		t.Fatal(err)
	}
	ev := event.Event{Status: event.Published, Days: day.List{day.MustParse("2027-01-20")}, RegistrationClosesAt: closes}
	if got := ev.Deadline(); got != "30.12.2026" {
		t.Errorf("Deadline() = %q, want 30.12.2026", got)
	}
	lateEvening := time.Date(2026, 12, 30, 23, 59, 30, 0, day.Location())
	if st := ev.RegistrationStateAt(lateEvening); !st.Open {
		t.Errorf("closed on the last day shown: %+v", st)
	}
	midnight := time.Date(2026, 12, 31, 0, 0, 0, 0, day.Location())
	if st := ev.RegistrationStateAt(midnight); st.Open || st.Reason != "Der Anmeldeschluss (30.12.2026) ist vorbei." {
		t.Errorf("after the deadline: %+v", st)
	}

	noon, _ := event.ParseMoment("2026-12-31T12:00", false)
	ev.RegistrationClosesAt = noon
	if got := ev.Deadline(); got != "31.12.2026, 12:00 Uhr" {
		t.Errorf("Deadline() = %q, want the time kept", got)
	}
	ev.RegistrationClosesAt = nil
	if got := ev.Deadline(); got != "" {
		t.Errorf("no deadline: %q", got)
	}
}

func TestVenueLinesNameTheCityOnce(t *testing.T) {
	cases := []struct {
		ev   event.Event
		want string
	}{
		{event.Event{VenueName: "Gürzenich Köln", VenueAddress: "Martinstraße 29–37, 50667 Köln", VenueCity: "Köln"}, "Gürzenich Köln|Martinstraße 29–37, 50667 Köln"},
		{event.Event{VenueName: "Rathaus", VenueAddress: "Friedrich-Ebert-Platz 2\n44623 Herne", VenueCity: "Herne"}, "Rathaus|Friedrich-Ebert-Platz 2|44623 Herne"},
		{event.Event{VenueName: "Jugendherberge Köln-Deutz", VenueAddress: "Siegesstraße 5", VenueCity: "Köln"}, "Jugendherberge Köln-Deutz|Siegesstraße 5|Köln"},
		{event.Event{VenueAddress: "Hauptstr. 1, 48143 MÜNSTER", VenueCity: "Münster"}, "Hauptstr. 1, 48143 MÜNSTER"},
		{event.Event{VenueCity: "Neuss"}, "Neuss"},
		{event.Event{VenueName: "Philharmonie", VenueAddress: "Bischofsgartenstraße 1, Kölner Innenstadt", VenueCity: "Köln"}, "Philharmonie|Bischofsgartenstraße 1, Kölner Innenstadt|Köln"},
		{event.Event{VenueAddress: "Siegesstraße 5, 50679 Köln-Deutz", VenueCity: "Köln"}, "Siegesstraße 5, 50679 Köln-Deutz"},
		{event.Event{}, ""},
	}
	for _, c := range cases {
		if got := strings.Join(c.ev.VenueLines(), "|"); got != c.want {
			t.Errorf("VenueLines(%q, %q, %q) = %q, want %q", c.ev.VenueName, c.ev.VenueAddress, c.ev.VenueCity, got, c.want)
		}
	}
	for _, c := range []struct{ name, city, want string }{
		{"Gürzenich Köln", "Köln", "Gürzenich Köln"},
		{"Jugendherberge Köln-Deutz", "Köln", "Jugendherberge Köln-Deutz"},
		{"Kölner Philharmonie", "Köln", "Kölner Philharmonie, Köln"},
		{"Rathaus", "Herne", "Rathaus, Herne"},
		{"", "Neuss", "Neuss"},
		{"Rathaus", "", "Rathaus"},
	} {
		if got := (event.Event{VenueName: c.name, VenueCity: c.city}).Place(); got != c.want {
			t.Errorf("Place(%q, %q) = %q, want %q", c.name, c.city, got, c.want)
		}
	}
}

// The meeting's times hold for every day unless the programme makes the
// days differ; then each day runs as its programme does.
func TestScheduleTakesDaysFromTheProgramme(t *testing.T) {
	d1, d2 := day.MustParse("2027-05-13"), day.MustParse("2027-05-14")
	ev := event.Event{Days: day.List{d1, d2}, StartTime: "09:30", EndTime: "16:30"}
	lines := func(s event.Schedule) string { return strings.Join(s.Lines(), " | ") }

	if got := lines(ev.Schedule(nil)); got != "13.–14.05.2027, jeweils 09:30–16:30 Uhr" {
		t.Errorf("without programme: %q", got)
	}
	// Both days alike: the meeting's times, with the arrival before 10:00.
	alike := map[day.Date]event.Hours{d1: {Start: "10:00", End: "16:30"}, d2: {Start: "10:00", End: "16:30"}}
	if got := lines(ev.Schedule(alike)); got != "13.–14.05.2027, jeweils 09:30–16:30 Uhr" {
		t.Errorf("days alike: %q", got)
	}
	differ := map[day.Date]event.Hours{d1: {Start: "09:30", End: "16:30"}, d2: {Start: "09:00", End: "14:00"}}
	s := ev.Schedule(differ)
	if s.Uniform() || s.On(d2) != (event.Hours{Start: "09:00", End: "14:00"}) {
		t.Fatalf("days differ: %+v", s)
	}
	if got := lines(s); got != "Donnerstag, 13. Mai 2027, 09:30–16:30 Uhr | Freitag, 14. Mai 2027, 09:00–14:00 Uhr" {
		t.Errorf("days differ: %q", got)
	}
	if end := s.On(d2).EndOn(d2); !end.Equal(time.Date(2027, 5, 14, 14, 0, 0, 0, day.Location())) {
		t.Errorf("end of day 2: %v", end)
	}
	// A day without programme keeps the meeting's times.
	if got := ev.Schedule(map[day.Date]event.Hours{d2: {Start: "10:00", End: "14:00"}}).On(d1); got != (event.Hours{Start: "09:30", End: "16:30"}) {
		t.Errorf("day without programme: %+v", got)
	}
	one := event.Event{Days: day.List{d1}, StartTime: "10:00", EndTime: "16:00"}
	if got := lines(one.Schedule(map[day.Date]event.Hours{d1: {Start: "10:30", End: "15:00"}})); got != "Donnerstag, 13. Mai 2027, 10:00–16:00 Uhr" {
		t.Errorf("one day: %q", got)
	}
}

func TestZuNameTakesTheArticleOfTheName(t *testing.T) {
	d := day.List{day.MustParse("2027-05-13")}
	cases := []struct {
		ev   event.Event
		want string
	}{
		{event.Event{Kind: event.Lernnetzwerktreffen, Number: 25, Days: d}, "zum 25. Lernnetzwerktreffen"},
		{event.Event{Kind: event.Fruehjahrsakademie, Days: d}, "zur Frühjahrsakademie 2027"},
		{event.Event{Kind: event.Other, Title: "Regionalkonferenz Westfalen"}, "zur Regionalkonferenz Westfalen"},
		{event.Event{Kind: event.Other, Title: "Jahrestagung 2026"}, "zur Jahrestagung 2026"},
		{event.Event{Kind: event.Other, Title: "Fachkongress Kinderarmut"}, "zum Fachkongress Kinderarmut"},
		{event.Event{Kind: event.Other, Title: "Planungsworkshop"}, "zum Planungsworkshop"},
		{event.Event{Kind: event.Other, Title: "2. Fachtag Frühe Hilfen"}, "zum 2. Fachtag Frühe Hilfen"},
		{event.Event{Kind: event.Lernnetzwerktreffen, Title: "Lernnetzwerktreffen Neuss"}, "zum Lernnetzwerktreffen Neuss"},
		{event.Event{Kind: event.Other, Title: "Kommunale Präventionsketten"}, "zur Veranstaltung „Kommunale Präventionsketten“"},
		{event.Event{Kind: event.Other, Title: "„Netzwerken ist kein Luxus“"}, "zur Veranstaltung „Netzwerken ist kein Luxus“"},
		{event.Event{Kind: event.Other}, "zur Veranstaltung"},
	}
	for _, c := range cases {
		if got := c.ev.ZuName(); got != c.want {
			t.Errorf("ZuName(%q) = %q, want %q", c.ev.Name(), got, c.want)
		}
	}
}

func TestDesNameIsTheGenitiveOfTheName(t *testing.T) {
	d := day.List{day.MustParse("2027-05-13")}
	cases := []struct {
		ev   event.Event
		want string
	}{
		{event.Event{Kind: event.Lernnetzwerktreffen, Number: 17, Days: d}, "des 17. Lernnetzwerktreffens"},
		{event.Event{Kind: event.Fruehjahrsakademie, Days: d}, "der Frühjahrsakademie 2027"},
		{event.Event{Kind: event.Other, Title: "Regionalkonferenz Westfalen"}, "der Regionalkonferenz Westfalen"},
		{event.Event{Kind: event.Other, Title: "Fachkongress Kinderarmut"}, "des Fachkongresses Kinderarmut"},
		{event.Event{Kind: event.Other, Title: "Planungsworkshop"}, "des Planungsworkshops"},
		{event.Event{Kind: event.Other, Title: "2. Fachtag: Frühe Hilfen"}, "des 2. Fachtags: Frühe Hilfen"},
		{event.Event{Kind: event.Other, Title: "Kommunaler Austausch"}, "der Veranstaltung „Kommunaler Austausch“"},
		{event.Event{Kind: event.Other, Title: "Austausch Kommunen"}, "des Austausches Kommunen"},
		{event.Event{Kind: event.Lernnetzwerktreffen, Title: "Lernnetzwerktreffen Neuss"}, "des Lernnetzwerktreffens Neuss"},
		{event.Event{Kind: event.Other, Title: "„Netzwerken ist kein Luxus“"}, "der Veranstaltung „Netzwerken ist kein Luxus“"},
		{event.Event{Kind: event.Other}, "der Veranstaltung"},
	}
	for _, c := range cases {
		if got := c.ev.DesName(); got != c.want {
			t.Errorf("DesName(%q) = %q, want %q", c.ev.Name(), got, c.want)
		}
	}
}

// Times are typed as people write them; they are stored with two-digit
// hours, as time inputs send them and lists are ordered by them.
func TestTimesAreReadAsTypedAndStoredAsHHMM(t *testing.T) {
	for in, want := range map[string]int{"09:30": 570, "9:30": 570, "9.30": 570, "9": 540, "9 Uhr": 540, "9:30 Uhr": 570, " 16:00 ": 960, "0:00": 0, "23:59": 1439} {
		if got, ok := event.ParseClock(in); !ok || got != want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "24:00", "9:60", "930", "neun", "9:3", "-1:00", "9:30:00"} {
		if got, ok := event.ParseClock(in); ok {
			t.Errorf("ParseClock(%q) = %d, want unreadable", in, got)
		}
	}
	e := event.Event{PreferenceRanks: 1, Status: event.Draft}
	kind, capacity, days := event.Lernnetzwerktreffen, 40, day.List{day.MustParse("20.05.2027")}
	number, start, end := 17, "9.30", "16 Uhr"
	if err := (event.Input{Kind: &kind, Number: &number, Capacity: &capacity, Days: &days, StartTime: &start, EndTime: &end}).Apply(&e); err != nil {
		t.Fatal(err)
	}
	if e.StartTime != "09:30" || e.EndTime != "16:00" {
		t.Errorf("stored %q–%q, want 09:30–16:00", e.StartTime, e.EndTime)
	}
	opens := "01.03.2027 9:00"
	if err := (event.Input{RegistrationOpensAt: &opens}).Apply(&e); err != nil {
		t.Fatal(err)
	}
	if got := e.RegistrationOpensAt.In(day.Location()).Format("2006-01-02 15:04"); got != "2027-03-01 09:00" {
		t.Errorf("registration opens %s, want 2027-03-01 09:00", got)
	}
}
