// Package event holds meetings: Lernnetzwerktreffen, Frühjahrsakademien
// and other events, with their dates, venue, capacity and status rules.
package event

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/day"
)

// Kind is the sort of meeting.
type Kind string

// Kinds of meetings.
const (
	Lernnetzwerktreffen Kind = "lernnetzwerktreffen"
	Fruehjahrsakademie  Kind = "fruehjahrsakademie"
	Other               Kind = "other"
)

// Kinds lists all kinds in display order.
var Kinds = []Kind{Lernnetzwerktreffen, Fruehjahrsakademie, Other}

// Label is the German name.
func (k Kind) Label() string {
	switch k {
	case Lernnetzwerktreffen:
		return "Lernnetzwerktreffen"
	case Fruehjahrsakademie:
		return "Frühjahrsakademie"
	case Other:
		return "Veranstaltung"
	}
	return string(k)
}

// Status is where a meeting stands in its life.
type Status string

// Statuses of a meeting.
const (
	Draft              Status = "draft"
	Published          Status = "published"
	RegistrationClosed Status = "registration_closed"
	Cancelled          Status = "cancelled"
	Held               Status = "held"
)

// Statuses lists all statuses in life order.
var Statuses = []Status{Draft, Published, RegistrationClosed, Cancelled, Held}

// Label is the German name.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "Entwurf"
	case Published:
		return "Veröffentlicht"
	case RegistrationClosed:
		return "Anmeldung geschlossen"
	case Cancelled:
		return "Abgesagt"
	case Held:
		return "Durchgeführt"
	}
	return string(s)
}

// Event is one meeting.
type Event struct {
	ID                   int64      `json:"id"`
	Kind                 Kind       `json:"kind"`
	Number               int        `json:"number,omitempty"` // 17 for the "17. Lernnetzwerktreffen"; 0 when unnumbered
	Title                string     `json:"title"`
	Motto                string     `json:"motto"`
	Announcement         string     `json:"announcement"`
	Days                 day.List   `json:"days" gorm:"type:text"`
	StartTime            string     `json:"start_time"` // "10:00", Berlin time, on each day
	EndTime              string     `json:"end_time"`   // "16:30"
	VenueName            string     `json:"venue_name"`
	VenueAddress         string     `json:"venue_address"`
	VenueCity            string     `json:"venue_city"`
	HostMunicipalityID   *int64     `json:"host_municipality_id"`
	Organiser            string     `json:"organiser"`
	CoOrganisers         string     `json:"co_organisers"`
	Capacity             int        `json:"capacity"`
	MunicipalityQuota    int        `json:"municipality_quota"` // 0: no quota
	PreferenceRanks      int        `json:"preference_ranks"`   // how many wishes per working-group slot
	RequiresApproval     bool       `json:"requires_approval"`  // registrations wait for an organiser's approval
	WaitlistEnabled      bool       `json:"waitlist_enabled"`   // false: a full meeting refuses registrations
	WaitlistLimit        *int       `json:"waitlist_limit"`     // at most this many waiting; nil: no limit
	RegistrationOpensAt  *time.Time `json:"registration_opens_at"`
	RegistrationClosesAt *time.Time `json:"registration_closes_at"`
	Status               Status     `json:"status"`
	// Reminder settings, shown and changed through their own API
	// (/api/v1/events/{id}/reminders) and the meeting's form.
	RemindersOff bool         `json:"-"`
	ReminderDays ReminderDays `json:"-" gorm:"type:text;default:'7,1'"`
	// CalendarDays are the days as first announced, kept from the first
	// change of the days on (nil until then): the UIDs of calendar
	// entries name them, day by day in order (see CalendarAnchors).
	CalendarDays day.List  `json:"-" gorm:"type:text"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	// QuestionCount is the number of questions on the registration
	// form, kept by the question store; read only here.
	QuestionCount int `json:"-" gorm:"->"`
}

// Name is the meeting's display name: "17. Lernnetzwerktreffen",
// "Frühjahrsakademie 2018" or the title of other events.
func (e Event) Name() string {
	switch {
	case e.Kind == Lernnetzwerktreffen && e.Number > 0:
		return fmt.Sprintf("%d. Lernnetzwerktreffen", e.Number)
	case e.Kind == Fruehjahrsakademie && e.Title == "" && !e.Days.First().IsZero():
		return fmt.Sprintf("Frühjahrsakademie %d", e.Days.First().Year)
	case e.Title != "":
		return e.Title
	}
	return e.Kind.Label()
}

// Subtitle is the title when Name does not already show it.
func (e Event) Subtitle() string {
	if e.Name() == e.Title {
		return ""
	}
	return e.Title
}

// Place is "Venue, City" for display, or the venue alone when its name
// already names the city ("Gürzenich Köln").
func (e Event) Place() string {
	switch {
	case e.VenueName != "" && e.VenueCity != "" && !namesCity(e.VenueName, e.VenueCity):
		return e.VenueName + ", " + e.VenueCity
	case e.VenueName != "":
		return e.VenueName
	}
	return e.VenueCity
}

// namesCity reports whether text names city as a word of its own (case
// and umlauts ignored): "50667 Köln" and "Köln-Deutz" name Köln,
// "Kölner Philharmonie" does not.
func namesCity(text, city string) bool {
	t, c := collate.Key(text), collate.Key(city)
	if c == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(t[from:], c)
		if i < 0 {
			return false
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(t[:i])
		after, _ := utf8.DecodeRuneInString(t[i+len(c):])
		if (i == 0 || !unicode.IsLetter(before)) && (i+len(c) == len(t) || !unicode.IsLetter(after)) {
			return true
		}
		from = i + 1
	}
}

// VenueLines are the lines of the venue's address block: name, address
// (one line per typed line) and city. The city is left out when the
// address already names it ("Martinstraße 29–37, 50667 Köln" in Köln).
func (e Event) VenueLines() []string {
	address := textLines(e.VenueAddress)
	out := append(textLines(e.VenueName), address...)
	if city := strings.TrimSpace(e.VenueCity); city != "" && !namesCity(strings.Join(address, "\n"), city) {
		out = append(out, city)
	}
	return out
}

// textLines splits typed text into its trimmed, non-empty lines.
func textLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// IsPublic reports whether the meeting is shown on public pages.
func (e Event) IsPublic() bool { return e.Status != Draft }

// IsPast reports whether the last day is before today in Berlin.
func (e Event) IsPast(now time.Time) bool {
	last := e.Days.Last()
	return !last.IsZero() && last.Before(day.Today(now))
}

// RegistrationState explains whether registration is open now.
type RegistrationState struct {
	Open   bool
	Reason string // German, shown when not open
}

// RegistrationStateAt tells whether people may register at now.
func (e Event) RegistrationStateAt(now time.Time) RegistrationState {
	switch {
	case e.Status == Draft:
		return RegistrationState{Reason: "Diese Veranstaltung ist noch nicht veröffentlicht."}
	case e.Status == Cancelled:
		return RegistrationState{Reason: "Diese Veranstaltung wurde abgesagt."}
	case e.Status == Held || e.IsPast(now):
		return RegistrationState{Reason: "Diese Veranstaltung hat bereits stattgefunden."}
	case e.Status == RegistrationClosed:
		return RegistrationState{Reason: "Die Anmeldung ist geschlossen."}
	case e.RegistrationOpensAt != nil && now.Before(*e.RegistrationOpensAt):
		return RegistrationState{Reason: "Die Anmeldung beginnt am " + e.RegistrationOpensAt.In(day.Location()).Format("02.01.2006 um 15:04 Uhr") + "."}
	case e.RegistrationClosesAt != nil && !now.Before(*e.RegistrationClosesAt):
		return RegistrationState{Reason: "Der Anmeldeschluss (" + e.Deadline() + ") ist vorbei."}
	}
	return RegistrationState{Open: true}
}

// Deadline is the registration deadline as people read it, or "" when
// there is none; see Deadline.
func (e Event) Deadline() string {
	if e.RegistrationClosesAt == nil {
		return ""
	}
	return Deadline(*e.RegistrationClosesAt)
}

// Deadline says until when people may register when registration closes
// at the instant closes (RegistrationStateAt refuses from that instant
// on). A deadline given as a date is stored as the following midnight;
// "31.12.2026, 00:00 Uhr" would read as the start of 31 December, so a
// deadline at midnight is shown as the whole day before it: "30.12.2026".
// Any other instant keeps its time: "31.12.2026, 12:00 Uhr".
func Deadline(closes time.Time) string {
	t := closes.In(day.Location())
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return day.Of(t.AddDate(0, 0, -1)).German()
	}
	return t.Format("02.01.2006, 15:04 Uhr")
}

// CalendarAnchors are the days whose dates name the calendar entries of
// the meeting's days: the i-th day's entry is named after the i-th
// anchor, so an entry keeps its UID when its day moves. Days beyond the
// anchors (added later) are named after themselves; anchors beyond the
// days (days dropped) name entries to cancel.
func (e Event) CalendarAnchors() day.List {
	if len(e.CalendarDays) > 0 {
		return e.CalendarDays
	}
	return e.Days
}
