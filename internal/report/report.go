// Package report sums up what the learning network reached over a
// period, for the organisers' yearly report to the ministry and funders
// (Verwendungsnachweis, Sachbericht): the meetings held, the people who
// took part, the municipalities reached and not reached, and the offices
// the participants came from. A coordinator gets the same report limited
// to the own municipality.
package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Period is a span of days, both ends included.
type Period struct {
	From, To day.Date
	Year     int // the calendar year when the period is one, else 0
}

// Label is the period as the report's title names it: "2025" or
// "01.03.2025 – 30.06.2025".
func (p Period) Label() string {
	if p.Year != 0 {
		return fmt.Sprint(p.Year)
	}
	return p.From.German() + " – " + p.To.German()
}

// YearPeriod is the calendar year y.
func YearPeriod(y int) Period {
	return Period{From: day.Date{Year: y, Month: time.January, Day: 1}, To: day.Date{Year: y, Month: time.December, Day: 31}, Year: y}
}

// DefaultPeriod is the last full calendar year: the report goes to the
// ministry once a year, after the year is over.
func DefaultPeriod(today day.Date) Period { return YearPeriod(today.Year - 1) }

// ErrPeriod is returned for a period that cannot be read.
var ErrPeriod = problem.New(problem.Invalid, "Bitte geben Sie ein Jahr (z. B. 2025) oder einen Zeitraum mit Anfangs- und Enddatum (TT.MM.JJJJ oder JJJJ-MM-TT) an.")

// ParsePeriod reads ?jahr= or ?von=&bis= (German or ISO dates); with
// neither it returns DefaultPeriod.
func ParsePeriod(year, from, to string, today day.Date) (Period, error) {
	year, from, to = strings.TrimSpace(year), strings.TrimSpace(from), strings.TrimSpace(to)
	switch {
	case year != "":
		var y int
		if _, err := fmt.Sscanf(year, "%d", &y); err != nil || y < 2000 || y > 2100 || fmt.Sprint(y) != year {
			return Period{}, ErrPeriod
		}
		return YearPeriod(y), nil
	case from == "" && to == "":
		return DefaultPeriod(today), nil
	}
	f, err1 := day.Parse(from)
	t, err2 := day.Parse(to)
	if err1 != nil || err2 != nil || t.Before(f) {
		return Period{}, ErrPeriod
	}
	p := Period{From: f, To: t}
	if f.Month == time.January && f.Day == 1 && t == (day.Date{Year: f.Year, Month: time.December, Day: 31}) {
		p.Year = f.Year
	}
	return p, nil
}

// Meeting is one meeting held in the period with its figures.
type Meeting struct {
	EventID       int64
	Name          string
	Days          day.List
	Registrations int  // all registrations but declined ones, cancelled included
	Confirmed     int  // confirmed at the end
	CheckedIn     int  // confirmed and checked in on at least one day
	UsedCheckIn   bool // somebody was checked in at this meeting
}

// Participants are the people checked in; at a meeting without check-in
// the confirmed ones stand for them.
func (m Meeting) Participants() int {
	if m.UsedCheckIn {
		return m.CheckedIn
	}
	return m.Confirmed
}

// NoShows are the confirmed people not checked in, known only where
// check-in was used.
func (m Meeting) NoShows() int {
	if !m.UsedCheckIn {
		return 0
	}
	return m.Confirmed - m.CheckedIn
}

// MunicipalityLine is a municipality reached in the period.
type MunicipalityLine struct {
	ID        int64
	Name      string
	Meetings  int  // meetings with at least one participant of it
	People    int  // its participants, summed over the meetings
	Returning bool // took part before the period; else first time
}

// CategoryCount is how many participants came from offices of a kind.
type CategoryCount struct {
	Category Category
	People   int
}

// Report is the network report over a period.
type Report struct {
	Period         Period
	Municipality   string // set when the report is limited to one municipality
	Meetings       []Meeting
	Municipalities []MunicipalityLine // reached, by name
	NotReached     []string           // the network's municipalities without a participant, by name
	Functions      []CategoryCount    // in the order of Categories
}

// Participants sums the participants of all meetings.
func (r Report) Participants() int {
	n := 0
	for _, m := range r.Meetings {
		n += m.Participants()
	}
	return n
}

// Registrations sums the registrations of all meetings.
func (r Report) Registrations() int {
	n := 0
	for _, m := range r.Meetings {
		n += m.Registrations
	}
	return n
}

// NoShows sums the no-shows of the meetings that used check-in.
func (r Report) NoShows() int {
	n := 0
	for _, m := range r.Meetings {
		n += m.NoShows()
	}
	return n
}

// WithoutCheckIn reports whether a meeting counted confirmed people for
// want of check-ins, which the report then explains.
func (r Report) WithoutCheckIn() bool {
	for _, m := range r.Meetings {
		if !m.UsedCheckIn {
			return true
		}
	}
	return false
}

// NetworkSize is the number of the network's municipalities: reached and not.
func (r Report) NetworkSize() int { return len(r.Municipalities) + len(r.NotReached) }

// FirstTime counts the municipalities that took part for the first time.
func (r Report) FirstTime() int {
	n := 0
	for _, m := range r.Municipalities {
		if !m.Returning {
			n++
		}
	}
	return n
}

// row is the figures of the registrations of one meeting, municipality
// (0: none) and function, as the store sums them.
type row struct {
	EventID        int64
	MunicipalityID int64
	Function       string
	Registrations  int
	Confirmed      int
	CheckedIn      int
}

// member is one of the network's municipalities.
type member struct {
	ID   int64
	Name string
}

// build puts the summed rows together. meetings come in date order with
// UsedCheckIn set; returning holds the municipalities that took part
// before the period. With limited, the municipalities not reached are
// left out (they are other municipalities).
func build(p Period, meetings []Meeting, rows []row, members []member, returning map[int64]bool, limited string) Report {
	r := Report{Period: p, Municipality: limited}
	index := map[int64]int{}
	for i, m := range meetings {
		index[m.EventID] = i
	}
	type seen struct {
		meetings map[int64]bool
		people   int
	}
	reached := map[int64]*seen{}
	byCategory := map[Category]int{}
	for _, x := range rows {
		i, ok := index[x.EventID]
		if !ok {
			continue
		}
		m := &meetings[i]
		m.Registrations += x.Registrations
		m.Confirmed += x.Confirmed
		m.CheckedIn += x.CheckedIn
		people := x.Confirmed
		if m.UsedCheckIn {
			people = x.CheckedIn
		}
		if people == 0 {
			continue
		}
		byCategory[Categorize(x.Function)] += people
		if x.MunicipalityID != 0 {
			s := reached[x.MunicipalityID]
			if s == nil {
				s = &seen{meetings: map[int64]bool{}}
				reached[x.MunicipalityID] = s
			}
			s.meetings[x.EventID] = true
			s.people += people
		}
	}
	for _, m := range meetings {
		// A limited report lists only the meetings the municipality registered for.
		if limited == "" || m.Registrations > 0 {
			r.Meetings = append(r.Meetings, m)
		}
	}
	for _, mb := range members {
		if s := reached[mb.ID]; s != nil {
			r.Municipalities = append(r.Municipalities, MunicipalityLine{ID: mb.ID, Name: mb.Name, Meetings: len(s.meetings), People: s.people, Returning: returning[mb.ID]})
		} else if limited == "" {
			r.NotReached = append(r.NotReached, mb.Name)
		}
	}
	sort.SliceStable(r.Municipalities, func(i, j int) bool { return r.Municipalities[i].Name < r.Municipalities[j].Name })
	for _, c := range Categories {
		r.Functions = append(r.Functions, CategoryCount{Category: c, People: byCategory[c]})
	}
	return r
}

// Status says whether the municipality came for the first time in the
// period or had taken part before.
func (m MunicipalityLine) Status() string {
	if m.Returning {
		return "wiederkehrend"
	}
	return "erstmals"
}
