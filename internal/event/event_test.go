package event_test

import (
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

func TestRoomName(t *testing.T) {
	for in, want := range map[string]string{"Raum 1.12": "1.12", "raum: Großer Saal": "Großer Saal", "Saal 2": "Saal 2", "Raum": "Raum", " Foyer ": "Foyer"} {
		if got := event.RoomName(in); got != want {
			t.Errorf("RoomName(%q) = %q, want %q", in, got, want)
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
