package agenda_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func meeting(t *testing.T, events *event.Store, days ...string) event.Event {
	t.Helper()
	var list day.List
	for _, d := range days {
		list = append(list, day.MustParse(d))
	}
	ev, err := events.Create(context.Background(), event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(21),
		Days: &list, Capacity: ptr(70), StartTime: ptr("09:30"), EndTime: ptr("16:30")})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func item(d, start, end string, kind agenda.Kind, title string) agenda.Input {
	dd := day.MustParse(d)
	return agenda.Input{Day: &dd, StartsAt: &start, EndsAt: &end, Kind: &kind, Title: &title}
}

func TestValidationWarningsDuplicateAndCopy(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	events := event.NewStore(db.Gorm)
	s := agenda.NewStore(db.Gorm)
	ev := meeting(t, events, "2028-11-29", "2028-11-30")

	for _, tc := range []struct {
		in    agenda.Input
		field string
	}{
		{item("2028-11-29", "11:00", "10:30", agenda.Talk, "Rückwärts"), "ends_at"},
		{item("2028-12-01", "10:00", "10:30", agenda.Talk, "Falscher Tag"), "day"},
		{item("2028-11-29", "25:00", "26:00", agenda.Talk, "Keine Uhrzeit"), "starts_at"},
		{item("2028-11-29", "10:00", "10:30", agenda.Kind("kabarett"), "Unbekannt"), "kind"},
	} {
		_, err := s.Create(ctx, ev, tc.in)
		if pe, ok := problem.As(err); !ok || pe.Code != problem.Invalid || pe.Fields[tc.field] == "" {
			t.Errorf("%s: got %v, want invalid %s", *tc.in.Title, err, tc.field)
		}
	}
	welcome := item("2028-11-29", "10:00", "10:15", agenda.Welcome, "Begrüßung")
	welcome.Speakers = &[]agenda.Speaker{{Name: "Jürgen Weiß", Function: "Beigeordneter", Organisation: "Stadt Wuppertal"}}
	w, err := s.Create(ctx, ev, welcome)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, ev, item("2028-11-29", "10:10", "11:00", agenda.Keynote, "Die Präventionsketten sind länger geworden")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, ev, item("2028-11-29", "11:30", "12:30", agenda.Practice, "Praxisbeispiele")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, ev, item("2028-11-29", "16:00", "17:00", agenda.Closing, "Ausblick")); err != nil {
		t.Fatal(err)
	}
	items, err := s.Items(ctx, ev.ID)
	if err != nil || len(items) != 4 || items[0].Speakers[0].Line() != "Jürgen Weiß, Beigeordneter, Stadt Wuppertal" {
		t.Fatalf("items %+v %v", items, err)
	}
	var msgs []string
	for _, w := range agenda.Check(ev, items) {
		msgs = append(msgs, w.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"überschneidet sich mit „Begrüßung“", "Lücke von 30 Minuten vor „Praxisbeispiele“", "außerhalb der Veranstaltungszeit 09:30–16:30"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}

	dup, err := s.Duplicate(ctx, ev, w.ID, day.MustParse("2028-11-30"))
	if err != nil || dup.Day.String() != "2028-11-30" || len(dup.Speakers) != 1 {
		t.Fatalf("duplicate: %+v %v", dup, err)
	}
	next := meeting(t, events, "2029-05-22")
	copied, skipped, err := s.CopyProgramme(ctx, ev, next)
	if err != nil || copied != 4 || skipped != 1 {
		t.Fatalf("copy: %d copied, %d skipped, %v", copied, skipped, err)
	}
	got, _ := s.Items(ctx, next.ID)
	if len(got) != 4 || got[0].Day.String() != "2029-05-22" || got[0].Speakers[0].Name != "Jürgen Weiß" {
		t.Fatalf("copied items %+v", got)
	}
	if _, err := s.Update(ctx, next, got[0].ID, agenda.Input{EndsAt: ptr("09:00")}); !problem.Is(err, problem.Invalid) {
		t.Fatalf("update to end before start: %v", err)
	}
	if _, err := s.Update(ctx, ev, got[0].ID, agenda.Input{Title: ptr("fremd")}); !problem.Is(err, problem.NotFound) {
		t.Fatalf("update through another meeting: %v", err)
	}
}

func TestSingleDigitHoursSortAndCopyKeepsSlotItems(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	events := event.NewStore(db.Gorm)
	s := agenda.NewStore(db.Gorm)
	ev := meeting(t, events, "2028-11-29")
	early, err := s.Create(ctx, ev, item("2028-11-29", "9:30", "10:00", agenda.Welcome, "Ankommen"))
	if err != nil {
		t.Fatal(err)
	}
	if early.StartsAt != "09:30" || early.EndsAt != "10:00" {
		t.Fatalf("times stored as %s–%s", early.StartsAt, early.EndsAt)
	}
	if _, err := s.Create(ctx, ev, item("2028-11-29", "10:00", "11:00", agenda.Talk, "Vortrag")); err != nil {
		t.Fatal(err)
	}
	items, _ := s.Items(ctx, ev.ID)
	if items[0].ID != early.ID || len(agenda.Check(ev, items)) != 0 {
		t.Fatalf("order %v, warnings %v", items, agenda.Check(ev, items))
	}
	// A working-groups item linked to a slot and without a title copies
	// to a meeting without that slot under its kind's name.
	if err := db.Gorm.Exec("INSERT INTO working_group_slots (event_id, day, starts_at, ends_at, label, created_at, updated_at) VALUES (?, '2028-11-29', '14:00', '15:30', '', ?, ?)",
		ev.ID, time.Now(), time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	slot := int64(1)
	in := item("2028-11-29", "14:00", "15:30", agenda.WorkingGroups, "")
	in.WorkingGroupSlotID = &slot
	if _, err := s.Create(ctx, ev, in); err != nil {
		t.Fatal(err)
	}
	next := meeting(t, events, "2029-03-01")
	if copied, _, err := s.CopyProgramme(ctx, ev, next); err != nil || copied != 3 {
		t.Fatalf("copy: %d, %v", copied, err)
	}
	got, _ := s.Items(ctx, next.ID)
	if got[2].Title != "Arbeitsgruppen" || got[2].WorkingGroupSlotID != nil {
		t.Fatalf("copied working-groups item %+v", got[2])
	}
}

func TestCheckSlotsWarnsOfAnotherTime(t *testing.T) {
	d1, d2 := day.MustParse("2018-11-29"), day.MustParse("2018-11-30")
	slot, other := int64(7), int64(8)
	items := []agenda.Item{
		{ID: 1, Day: d1, StartsAt: "13:45", EndsAt: "15:30", Kind: agenda.WorkingGroups, WorkingGroupSlotID: &slot},
		{ID: 2, Day: d2, StartsAt: "10:00", EndsAt: "11:30", Kind: agenda.WorkingGroups, Title: "Foren", WorkingGroupSlotID: &other},
		{ID: 3, Day: d1, StartsAt: "10:00", EndsAt: "10:15", Kind: agenda.Welcome},
	}
	slots := []agenda.SlotTime{{ID: slot, Day: d1, StartsAt: "14:00", EndsAt: "15:30"}, {ID: other, Day: d2, StartsAt: "10:00", EndsAt: "11:30"}}
	got := agenda.CheckSlots(items, slots)
	if len(got) != 1 || got[0].ItemID != 1 || got[0].SlotID != slot ||
		got[0].Message != "„Arbeitsgruppen“ steht im Programm um 13:45–15:30 Uhr, die Arbeitsgruppen sind aber für 14:00–15:30 Uhr angelegt." {
		t.Fatalf("warnings %+v", got)
	}
	// Another day is named; a matching slot or an unknown one is no warning.
	slots[0] = agenda.SlotTime{ID: slot, Day: d2, StartsAt: "13:45", EndsAt: "15:30"}
	if got := agenda.CheckSlots(items, slots); len(got) != 1 || !strings.Contains(got[0].Message, "um "+d1.German()+", 13:45–15:30 Uhr") ||
		!strings.Contains(got[0].Message, "für "+d2.German()+", 13:45–15:30 Uhr") {
		t.Fatalf("warnings %+v", got)
	}
	slots[0].Day = d1
	if got := agenda.CheckSlots(items, slots); len(got) != 0 {
		t.Fatalf("aligned slots warned: %+v", got)
	}
	if got := agenda.CheckSlots(items, nil); len(got) != 0 {
		t.Fatalf("unknown slots warned: %+v", got)
	}
}

func TestSpansRunFromTheFirstStartToTheLastEnd(t *testing.T) {
	d1, d2 := day.MustParse("2027-05-13"), day.MustParse("2027-05-14")
	items := []agenda.Item{
		{Day: d1, StartsAt: "10:00", EndsAt: "16:30"}, // a long item first
		{Day: d1, StartsAt: "09:30", EndsAt: "10:00"},
		{Day: d1, StartsAt: "12:00", EndsAt: "13:00"},
		{Day: d2, StartsAt: "09:00", EndsAt: "12:00"},
		{Day: d2, StartsAt: "12:30", EndsAt: "14:00"},
	}
	got := agenda.Spans(items)
	want := map[day.Date]event.Hours{d1: {Start: "09:30", End: "16:30"}, d2: {Start: "09:00", End: "14:00"}}
	if len(got) != 2 || got[d1] != want[d1] || got[d2] != want[d2] {
		t.Errorf("Spans = %+v, want %+v", got, want)
	}
}
