package document

import (
	"strings"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
)

// roomParts splits a room as event.RoomLine names it into the label
// "Raum:" and the room, so the label can be set lighter; the label is ""
// when the room's name already says it is one ("Raum 2", "Räume 1 und
// 2"). Both are "" without a room.
func roomParts(room string) (label, name string) {
	room = strings.TrimSpace(room)
	line := event.RoomLine(room)
	if rest, ok := strings.CutPrefix(line, "Raum: "); ok && rest == room {
		return "Raum:", rest
	}
	return "", line
}

// municipalityName is the name of municipality id, or "" when there is
// none or it is unknown.
func municipalityName(munis map[int64]municipality.Municipality, id *int64) string {
	if id == nil {
		return ""
	}
	return munis[*id].Name
}

// venueMaxLines bounds the venue's address block; see venueLines.
const venueMaxLines = 5

// venueLines are the lines of the venue's address block as every page
// and mail prints them (event.VenueLines: the city only when the address
// does not name it). A longer block keeps its first lines and the last,
// which usually holds postcode and city.
func venueLines(ev *event.Event) []string {
	lines := ev.VenueLines()
	if n := len(lines); n > venueMaxLines {
		lines = append(lines[:venueMaxLines-1], lines[n-1])
	}
	return lines
}

// scheduleOf is schedule, or the meeting's own times on every day when
// the caller gives none.
func scheduleOf(ev *event.Event, schedule event.Schedule) event.Schedule {
	if len(schedule) == 0 {
		return ev.Schedule(nil)
	}
	return schedule
}

// hoursOn is when the meeting runs on day d: as the schedule says, or at
// the meeting's own times on a day the schedule lacks.
func hoursOn(ev *event.Event, schedule event.Schedule, d day.Date) event.Hours {
	if h := schedule.On(d); h != (event.Hours{}) {
		return h
	}
	return event.Hours{Start: ev.StartTime, End: ev.EndTime}
}

// dayLines say when the given days of a meeting run, in the words of the
// mails (event.Schedule.Lines): a line per day, "Mittwoch, 13. September
// 2017, 10:00–16:00 Uhr", so days with other hours show them. More than
// max days go in runs of days with the same hours, "12.–21.09.2017,
// jeweils 10:00–16:00 Uhr", "22.09.2017, 10:00–14:00 Uhr".
func dayLines(ev *event.Event, schedule event.Schedule, days day.List, max int) []string {
	var out []string
	if len(days) <= max {
		for _, d := range days {
			out = append(out, withHours(d.GermanLong(), ", ", hoursOn(ev, schedule, d).Text()))
		}
		return out
	}
	for start := 0; start < len(days); {
		h := hoursOn(ev, schedule, days[start])
		end := start + 1
		for end < len(days) && hoursOn(ev, schedule, days[end]) == h {
			end++
		}
		sep := ", jeweils "
		if end-start == 1 {
			sep = ", "
		}
		out = append(out, withHours(days[start:end].German(), sep, h.Text()))
		start = end
	}
	return out
}

// withHours appends sep and hours to date unless hours is "".
func withHours(date, sep, hours string) string {
	if hours == "" {
		return date
	}
	return date + sep + hours
}
