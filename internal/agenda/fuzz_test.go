package agenda

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// FuzzApply: a programme item from any JSON body either applies to a
// meeting – on one of its days, ending after it starts, times as HH:MM –
// or yields field errors on the item's JSON fields in German. Applying
// the accepted item's own values again changes nothing.
func FuzzApply(f *testing.F) {
	f.Add(`{"day":"2026-03-12","starts_at":"10:00","ends_at":"10:30","kind":"keynote","title":"Begrüßung"}`)
	ev := &event.Event{Days: day.List{day.MustParse("2026-03-12"), day.MustParse("2026-03-13")}, StartTime: "10:00", EndTime: "16:30"}
	known := map[string]bool{}
	for i := range reflect.TypeFor[Input]().NumField() {
		name, _, _ := strings.Cut(reflect.TypeFor[Input]().Field(i).Tag.Get("json"), ",")
		known[name] = true
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in Input
		if json.Unmarshal([]byte(body), &in) != nil {
			return
		}
		var it Item
		err := in.apply(&it, ev)
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Code != problem.Invalid || len(pe.Fields) == 0 {
				t.Fatalf("apply: %#v", err)
			}
			for k, msg := range pe.Fields {
				r, _ := utf8.DecodeRuneInString(msg)
				if !known[k] || !unicode.IsUpper(r) || !strings.HasSuffix(msg, ".") {
					t.Fatalf("field %q: %q", k, msg)
				}
			}
			return
		}
		if !ev.Days.Contains(it.Day) {
			t.Fatalf("accepted day %v", it.Day)
		}
		if it.StartsAt != "" && it.EndsAt != "" && it.EndsAt <= it.StartsAt {
			t.Fatalf("accepted %s–%s", it.StartsAt, it.EndsAt)
		}
		for _, s := range []string{it.StartsAt, it.EndsAt} {
			if m, ok := event.ParseClock(s); s != "" && (!ok || event.Clock(m) != s) {
				t.Fatalf("time %q is not HH:MM", s)
			}
		}
		d, starts, ends, kind, title, room := it.Day, it.StartsAt, it.EndsAt, it.Kind, it.Title, it.Room
		again := it
		if err := (Input{Day: &d, StartsAt: &starts, EndsAt: &ends, Kind: &kind, Title: &title, Room: &room}).apply(&again, ev); err != nil {
			t.Fatalf("the accepted item %+v fails again: %v", it, err)
		}
		if !reflect.DeepEqual(again, it) {
			t.Fatalf("applying the item's own values changed it:\n%+v\n%+v", it, again)
		}
	})
}
