package agenda

import (
	"fmt"
	"sort"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

// Warning is a hint for the editor; the programme is saved anyway.
type Warning struct {
	ItemID  int64  `json:"item_id,omitempty"`
	SlotID  int64  `json:"slot_id,omitempty"` // a working-group slot whose time differs from the item's
	Message string `json:"message"`
}

// SlotTime is when a working-group slot runs, as the programme compares
// it with the item that stands for it.
type SlotTime struct {
	ID       int64
	Day      day.Date
	StartsAt string
	EndsAt   string
}

// CheckSlots finds items linked to a working-group slot that runs at
// another time: participants would read one time in the programme and
// another in their wishes and assignment.
func CheckSlots(items []Item, slots []SlotTime) []Warning {
	byID := make(map[int64]SlotTime, len(slots))
	for _, sl := range slots {
		byID[sl.ID] = sl
	}
	sorted := append([]Item(nil), items...)
	Sort(sorted)
	var out []Warning
	for _, it := range sorted {
		if it.WorkingGroupSlotID == nil {
			continue
		}
		sl, ok := byID[*it.WorkingGroupSlotID]
		if !ok || (sl.Day == it.Day && sl.StartsAt == it.StartsAt && sl.EndsAt == it.EndsAt) {
			continue
		}
		when := func(d day.Date, starts, ends string) string {
			if sl.Day == it.Day {
				return starts + "–" + ends + " Uhr"
			}
			return d.German() + ", " + starts + "–" + ends + " Uhr"
		}
		out = append(out, Warning{ItemID: it.ID, SlotID: sl.ID, Message: fmt.Sprintf("„%s“ steht im Programm um %s, die Arbeitsgruppen sind aber für %s angelegt.",
			it.DisplayTitle(), when(it.Day, it.StartsAt, it.EndsAt), when(sl.Day, sl.StartsAt, sl.EndsAt))})
	}
	return out
}

// MinGap is the shortest gap between items that is worth a warning:
// smaller ones are changeovers.
const MinGap = 15

// Check finds overlaps, gaps and items outside the meeting's days or its
// hours. Items must be of one meeting.
func Check(ev event.Event, items []Item) []Warning {
	var out []Warning
	sorted := append([]Item(nil), items...)
	Sort(sorted)
	start, _ := event.ParseClock(ev.StartTime)
	end, _ := event.ParseClock(ev.EndTime)
	for i, it := range sorted {
		if !ev.Days.Contains(it.Day) {
			out = append(out, Warning{ItemID: it.ID, Message: fmt.Sprintf("„%s“ liegt am %s, das ist kein Tag der Veranstaltung.", it.DisplayTitle(), it.Day.German())})
			continue
		}
		if minutes(it.StartsAt) < start || minutes(it.EndsAt) > end {
			out = append(out, Warning{ItemID: it.ID, Message: fmt.Sprintf("„%s“ (%s–%s) liegt außerhalb der Veranstaltungszeit %s–%s Uhr.",
				it.DisplayTitle(), it.StartsAt, it.EndsAt, ev.StartTime, ev.EndTime)})
		}
		if i == 0 || sorted[i-1].Day != it.Day {
			continue
		}
		prev := sorted[i-1]
		// The latest end so far on this day, so one long item does not hide
		// an overlap with a later one.
		latest := prev
		for j := i - 1; j >= 0 && sorted[j].Day == it.Day; j-- {
			if minutes(sorted[j].EndsAt) > minutes(latest.EndsAt) {
				latest = sorted[j]
			}
		}
		switch gap := minutes(it.StartsAt) - minutes(latest.EndsAt); {
		case gap < 0:
			out = append(out, Warning{ItemID: it.ID, Message: fmt.Sprintf("„%s“ (%s–%s) überschneidet sich mit „%s“ (%s–%s).",
				it.DisplayTitle(), it.StartsAt, it.EndsAt, latest.DisplayTitle(), latest.StartsAt, latest.EndsAt)})
		case gap >= MinGap:
			out = append(out, Warning{ItemID: it.ID, Message: fmt.Sprintf("Lücke von %d Minuten vor „%s“ (%s, %s Uhr).",
				gap, it.DisplayTitle(), it.Day.German(), it.StartsAt)})
		}
	}
	return out
}

// Sort orders items by day, start, end and id.
func Sort(items []Item) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		switch {
		case a.Day != b.Day:
			return a.Day.Before(b.Day)
		case a.StartsAt != b.StartsAt:
			return a.StartsAt < b.StartsAt
		case a.EndsAt != b.EndsAt:
			return a.EndsAt < b.EndsAt
		}
		return a.ID < b.ID
	})
}
