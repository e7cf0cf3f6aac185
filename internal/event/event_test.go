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
		{event.Event{}, ""},
	}
	for _, c := range cases {
		if got := strings.Join(c.ev.VenueLines(), "|"); got != c.want {
			t.Errorf("VenueLines(%q, %q, %q) = %q, want %q", c.ev.VenueName, c.ev.VenueAddress, c.ev.VenueCity, got, c.want)
		}
	}
}
