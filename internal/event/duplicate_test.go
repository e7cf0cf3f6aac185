package event_test

import (
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func TestLookalikes(t *testing.T) {
	ctx := t.Context()
	events := event.NewStore(storetest.Open(t).Gorm)
	days := day.List{day.MustParse("2027-09-13"), day.MustParse("2027-09-14")}
	koeln, err := events.Create(ctx, event.Input{Number: ptr(17), Days: &days, Capacity: ptr(70), VenueCity: ptr("Köln")})
	if err != nil {
		t.Fatal(err)
	}
	academy, err := events.Create(ctx, event.Input{Kind: ptr(event.Fruehjahrsakademie), Title: ptr("Daten und Taten"), Days: &days, Capacity: ptr(70)})
	if err != nil {
		t.Fatal(err)
	}
	reversed := day.List{days[1], days[0]}
	oneDay := days[:1]
	for _, tc := range []struct {
		name string
		in   event.Input
		want []int64
	}{
		{"same number, kind and days", event.Input{Number: ptr(17), Days: &reversed, Capacity: ptr(50), Title: ptr("Motto egal")}, []int64{koeln.ID}},
		{"same title in other letters", event.Input{Kind: ptr(event.Fruehjahrsakademie), Title: ptr("  daten UND  Taten "), Days: &days, Capacity: ptr(70)}, []int64{academy.ID}},
		{"another number", event.Input{Number: ptr(18), Days: &days, Capacity: ptr(70)}, nil},
		{"another kind", event.Input{Kind: ptr(event.Other), Title: ptr("Daten und Taten"), Days: &days, Capacity: ptr(70)}, nil},
		{"other days", event.Input{Number: ptr(17), Days: &oneDay, Capacity: ptr(70)}, nil},
		{"invalid input", event.Input{Number: ptr(17), Days: &days}, nil},
	} {
		got, err := events.Lookalikes(ctx, 0, tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var ids []int64
		for _, e := range got {
			ids = append(ids, e.ID)
		}
		if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) {
			t.Errorf("%s: look-alikes %v, want %v", tc.name, ids, tc.want)
		}
	}

	// An edit finds look-alikes only when it makes the meeting one.
	if got, _ := events.Lookalikes(ctx, koeln.ID, event.Input{Number: ptr(17), Capacity: ptr(80)}); len(got) != 0 {
		t.Errorf("a meeting is its own look-alike: %v", got)
	}
	twin, err := events.Create(ctx, event.Input{Number: ptr(17), Days: &days, Capacity: ptr(70), VenueCity: ptr("Neuss")})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := events.Lookalikes(ctx, twin.ID, event.Input{Capacity: ptr(90), VenueCity: ptr("Dormagen")}); len(got) != 0 {
		t.Errorf("an accepted look-alike is asked again: %v", got)
	}
	if got, _ := events.Lookalikes(ctx, academy.ID, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17)}); len(got) != 2 {
		t.Errorf("edit into a look-alike: %v", got)
	}
	if _, err := events.Lookalikes(ctx, 999999, event.Input{}); !problem.Is(err, problem.NotFound) {
		t.Errorf("unknown meeting: %v", err)
	}

	err = event.ErrLookalike([]event.Event{koeln})
	if !problem.Is(err, problem.Duplicate) || err.Error() != "duplicate: Es gibt bereits „17. Lernnetzwerktreffen“ am 13.–14.09.2027 (Entwurf)." {
		t.Errorf("error %v", err)
	}
}
