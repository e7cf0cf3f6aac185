package agenda

import (
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

// Spans returns, for each day with items, the programme's span from the
// earliest start to the latest end: the day's hours for
// event.Event.Schedule.
func Spans(items []Item) map[day.Date]event.Hours {
	out := map[day.Date]event.Hours{}
	for _, it := range items {
		h, ok := out[it.Day]
		if !ok || minutes(it.StartsAt) < minutes(h.Start) {
			h.Start = it.StartsAt
		}
		if !ok || minutes(it.EndsAt) > minutes(h.End) {
			h.End = it.EndsAt
		}
		out[it.Day] = h
	}
	return out
}
