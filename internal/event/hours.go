package event

import (
	"time"

	"github.com/isa-nrw/treffen/internal/day"
)

// Hours is when a meeting runs on one day: "10:00" to "16:30", Berlin
// time.
type Hours struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Text is "10:00–16:30 Uhr", "ab 10:00 Uhr" without a valid end, or ""
// without a valid start.
func (h Hours) Text() string {
	start, okStart := ParseClock(h.Start)
	end, okEnd := ParseClock(h.End)
	switch {
	case okStart && okEnd && end > start:
		return h.Start + "–" + h.End + " Uhr"
	case okStart:
		return "ab " + h.Start + " Uhr"
	}
	return ""
}

// Timed reports whether both times are valid and the end is after the
// start, so the day can go into a calendar with times.
func (h Hours) Timed() bool {
	start, okStart := ParseClock(h.Start)
	end, okEnd := ParseClock(h.End)
	return okStart && okEnd && end > start
}

// StartOn returns the start on day d in Berlin.
func (h Hours) StartOn(d day.Date) time.Time {
	m, _ := ParseClock(h.Start)
	return d.At(m/60, m%60)
}

// EndOn returns the end on day d in Berlin.
func (h Hours) EndOn(d day.Date) time.Time {
	m, _ := ParseClock(h.End)
	return d.At(m/60, m%60)
}

// DayHours is one day of a meeting with its hours.
type DayHours struct {
	Day day.Date `json:"day"`
	Hours
}

// Schedule is a meeting's days in order, each with its hours.
type Schedule []DayHours

// Uniform reports whether all days share the same hours, so one span
// says it ("jeweils 10:00–16:30 Uhr").
func (s Schedule) Uniform() bool {
	for _, d := range s {
		if d.Hours != s[0].Hours {
			return false
		}
	}
	return true
}

// Lines say when the meeting is, for running text and mails: "Mittwoch,
// 13. September 2017, 10:00–16:00 Uhr"; for several days
// "29.–30.11.2018, jeweils 10:00–16:00 Uhr", or one line per day when
// their hours differ.
func (s Schedule) Lines() []string {
	switch {
	case len(s) == 0:
		return nil
	case len(s) == 1:
		return []string{withTimes(s[0].Day.GermanLong(), ", ", s[0].Text())}
	case s.Uniform():
		days := make(day.List, len(s))
		for i, d := range s {
			days[i] = d.Day
		}
		return []string{withTimes(days.German(), ", jeweils ", s[0].Text())}
	}
	out := make([]string, len(s))
	for i, d := range s {
		out[i] = withTimes(d.Day.GermanLong(), ", ", d.Text())
	}
	return out
}

// withTimes appends sep and times to date unless times is empty.
func withTimes(date, sep, times string) string {
	if times == "" {
		return date
	}
	return date + sep + times
}

// On returns the hours of day d; the zero Hours for a day not in s.
func (s Schedule) On(d day.Date) Hours {
	for _, x := range s {
		if x.Day == d {
			return x.Hours
		}
	}
	return Hours{}
}

// Schedule returns the meeting's days with their hours. The meeting's
// start and end times hold for every day, unless its programme makes the
// days differ (the second day ends at 14:00): then each day with a
// programme runs from its first item's start to its last item's end, the
// others keep the meeting's times. programme gives those spans by day
// (agenda.Spans); a meeting without programme passes nil.
func (e Event) Schedule(programme map[day.Date]Hours) Schedule {
	own := Hours{Start: e.StartTime, End: e.EndTime}
	out := make(Schedule, len(e.Days))
	for i, d := range e.Days {
		out[i] = DayHours{Day: d, Hours: own}
		if h, ok := programme[d]; ok {
			out[i].Hours = h
		}
	}
	if out.Uniform() {
		// Days alike: the times the organisers gave, which may include
		// arrival before the programme starts.
		for i := range out {
			out[i].Hours = own
		}
	}
	return out
}
