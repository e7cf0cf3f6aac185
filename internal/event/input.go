package event

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Input carries the fields of a create or a partial update; nil means
// "not given" (keep the current value on update).
type Input struct {
	Kind                 *Kind     `json:"kind"`
	Number               *int      `json:"number"`
	Title                *string   `json:"title"`
	Motto                *string   `json:"motto"`
	Announcement         *string   `json:"announcement"`
	Days                 *day.List `json:"days"`
	StartTime            *string   `json:"start_time"` // HH:MM
	EndTime              *string   `json:"end_time"`
	VenueName            *string   `json:"venue_name"`
	VenueAddress         *string   `json:"venue_address"`
	VenueCity            *string   `json:"venue_city"`
	HostMunicipalityID   *int64    `json:"host_municipality_id"`
	Organiser            *string   `json:"organiser"`
	CoOrganisers         *string   `json:"co_organisers"`
	Capacity             *int      `json:"capacity"`
	MunicipalityQuota    *int      `json:"municipality_quota"`
	PreferenceRanks      *int      `json:"preference_ranks"`
	RequiresApproval     *bool     `json:"requires_approval"`
	WaitlistEnabled      *bool     `json:"waitlist_enabled"`
	WaitlistLimit        *int      `json:"waitlist_limit"`         // 0: no limit
	RegistrationOpensAt  *string   `json:"registration_opens_at"`  // YYYY-MM-DD, YYYY-MM-DDTHH:MM (Berlin) or RFC 3339
	RegistrationClosesAt *string   `json:"registration_closes_at"` // a bare date means the end of that day
	Status               *Status   `json:"status"`
	// Reminder settings: through the meeting's form and the reminders
	// API, not the meeting's JSON.
	RemindersOff *bool         `json:"-"`
	ReminderDays *ReminderDays `json:"-"`
	// NotifyCancellation, when the meeting is being cancelled, queues
	// the cancellation mail to everyone registered (nil: yes).
	NotifyCancellation *bool `json:"-"`
	// ConfirmDuplicate saves the meeting even if Lookalikes finds others
	// like it; Apply ignores it.
	ConfirmDuplicate bool `json:"confirm_duplicate"`
}

// MaxDays bounds the length of one meeting.
const MaxDays = 14

// Apply writes the given fields onto e and validates the result. The
// messages name the JSON fields, which the forms use as input names too.
func (in Input) Apply(e *Event) error {
	var v problem.Validation
	str := func(p *string, dst *string) {
		if p != nil {
			*dst = strings.TrimSpace(*p)
		}
	}
	if in.Kind != nil {
		e.Kind = *in.Kind
	}
	if in.Number != nil {
		e.Number = *in.Number
	}
	str(in.Title, &e.Title)
	str(in.Motto, &e.Motto)
	str(in.Announcement, &e.Announcement)
	str(in.VenueName, &e.VenueName)
	str(in.VenueAddress, &e.VenueAddress)
	str(in.VenueCity, &e.VenueCity)
	str(in.StartTime, &e.StartTime)
	str(in.EndTime, &e.EndTime)
	normalizeClock(&e.StartTime)
	normalizeClock(&e.EndTime)
	str(in.Organiser, &e.Organiser)
	str(in.CoOrganisers, &e.CoOrganisers)
	if in.Days != nil {
		e.Days = in.Days.Normalize()
	}
	if in.HostMunicipalityID != nil {
		e.HostMunicipalityID = in.HostMunicipalityID
		if *in.HostMunicipalityID == 0 {
			e.HostMunicipalityID = nil
		}
	}
	if in.Capacity != nil {
		e.Capacity = *in.Capacity
	}
	if in.MunicipalityQuota != nil {
		e.MunicipalityQuota = *in.MunicipalityQuota
	}
	if in.PreferenceRanks != nil {
		e.PreferenceRanks = *in.PreferenceRanks
	}
	if in.RequiresApproval != nil {
		e.RequiresApproval = *in.RequiresApproval
	}
	if in.WaitlistEnabled != nil {
		e.WaitlistEnabled = *in.WaitlistEnabled
	}
	if in.WaitlistLimit != nil {
		e.WaitlistLimit = nil
		if *in.WaitlistLimit != 0 {
			limit := *in.WaitlistLimit
			e.WaitlistLimit = &limit
		}
	}
	if in.Status != nil {
		e.Status = *in.Status
	}
	if in.RemindersOff != nil {
		e.RemindersOff = *in.RemindersOff
	}
	if in.ReminderDays != nil {
		e.ReminderDays = *in.ReminderDays
	}
	if in.RegistrationOpensAt != nil {
		t, err := ParseMoment(*in.RegistrationOpensAt, false)
		if err != nil {
			v.Add("registration_opens_at", "Bitte ein Datum als TT.MM.JJJJ oder JJJJ-MM-TT angeben.")
		}
		e.RegistrationOpensAt = t
	}
	if in.RegistrationClosesAt != nil {
		t, err := ParseMoment(*in.RegistrationClosesAt, true)
		if err != nil {
			v.Add("registration_closes_at", "Bitte ein Datum als TT.MM.JJJJ oder JJJJ-MM-TT angeben.")
		}
		e.RegistrationClosesAt = t
	}
	validate(e, &v)
	validateReminders(e, in.ReminderDays != nil, &v)
	return v.Err()
}

func validate(e *Event, v *problem.Validation) {
	if !oneOf(e.Kind, Kinds) {
		v.Add("kind", "Bitte wählen Sie die Art der Veranstaltung.")
	}
	if e.Number < 0 || e.Number > 999 {
		v.Add("number", "Die Nummer muss zwischen 1 und 999 liegen (leer lassen für Veranstaltungen ohne Nummer).")
	}
	if e.Kind == Lernnetzwerktreffen && e.Number == 0 && e.Title == "" {
		v.Add("number", "Bitte geben Sie die Nummer des Lernnetzwerktreffens oder einen Titel an.")
	}
	if e.Kind == Other && e.Title == "" {
		v.Add("title", "Bitte geben Sie einen Titel an.")
	}
	if len([]rune(e.Title)) > 200 {
		v.Add("title", "Der Titel darf höchstens 200 Zeichen lang sein.")
	}
	if len([]rune(e.Motto)) > 300 {
		v.Add("motto", "Das Motto darf höchstens 300 Zeichen lang sein.")
	}
	switch {
	case len(e.Days) == 0:
		v.Add("days", "Bitte geben Sie mindestens einen Veranstaltungstag an.")
	case len(e.Days) > MaxDays:
		v.Add("days", "Eine Veranstaltung kann höchstens 14 Tage umfassen.")
	}
	start, okStart := ParseClock(e.StartTime)
	end, okEnd := ParseClock(e.EndTime)
	if !okStart {
		v.Add("start_time", "Bitte eine Uhrzeit angeben, z. B. 10:00 oder 9:30.")
	}
	if !okEnd {
		v.Add("end_time", "Bitte eine Uhrzeit angeben, z. B. 16:30.")
	}
	if okStart && okEnd && end <= start {
		v.Add("end_time", "Das Ende muss nach dem Beginn liegen.")
	}
	if e.Capacity < 1 || e.Capacity > 10000 {
		v.Add("capacity", "Die Zahl der Plätze muss zwischen 1 und 10.000 liegen.")
	}
	if e.MunicipalityQuota < 0 || (e.MunicipalityQuota > e.Capacity && e.Capacity > 0) {
		v.Add("municipality_quota", "Das Kontingent je Kommune muss zwischen 0 (kein Kontingent) und der Zahl der Plätze liegen.")
	}
	if e.RegistrationOpensAt != nil && e.RegistrationClosesAt != nil && !e.RegistrationClosesAt.After(*e.RegistrationOpensAt) {
		v.Add("registration_closes_at", "Der Anmeldeschluss muss nach dem Beginn der Anmeldung liegen.")
	}
	if e.RegistrationClosesAt != nil && len(e.Days) > 0 && e.RegistrationClosesAt.After(e.Days.Last().In(day.Location()).AddDate(0, 0, 1)) && !v.Has("registration_closes_at") {
		v.Add("registration_closes_at", "Der Anmeldeschluss darf nicht nach der Veranstaltung liegen.")
	}
	if e.WaitlistLimit != nil && (*e.WaitlistLimit < 1 || *e.WaitlistLimit > 10000) {
		v.Add("waitlist_limit", "Die Länge der Warteliste muss zwischen 1 und 10.000 liegen (leer lassen für keine Begrenzung).")
	}
	if e.PreferenceRanks < 1 || e.PreferenceRanks > 5 {
		v.Add("preference_ranks", "Bitte 1 bis 5 Wünsche je Zeitfenster erlauben.")
	}
	if !oneOf(e.Status, Statuses) {
		v.Add("status", "Unbekannter Status.")
	}
}

func oneOf[T comparable](x T, all []T) bool {
	for _, a := range all {
		if a == x {
			return true
		}
	}
	return false
}

// ParseMoment reads a point in time for deadlines. Empty means none. A
// bare date means the start of that day, or with endOfDay its end.
func ParseMoment(s string, endOfDay bool) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return &t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "02.01.2006 15:04", "2.1.2006 15:04", "02.01.2006, 15:04", "2.1.2006, 15:04"} {
		if t, err := time.ParseInLocation(layout, s, day.Location()); err == nil {
			return &t, nil
		}
	}
	for _, layout := range []string{day.Layout, "02.01.2006", "2.1.2006"} {
		if t, err := time.ParseInLocation(layout, s, day.Location()); err == nil {
			if endOfDay {
				t = t.AddDate(0, 0, 1)
			}
			return &t, nil
		}
	}
	return nil, problem.Errorf(problem.Invalid, "unlesbares Datum %q", s)
}

// ParseClock reads a time of day as a time input sends it ("09:30") or
// as people type it ("9:30", "9.30", "9 Uhr", "9:30 Uhr") and returns
// minutes after midnight.
func ParseClock(s string) (int, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "Uhr"))
	for _, layout := range []string{"15:04", "15.04", "15"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Hour()*60 + t.Minute(), true
		}
	}
	return 0, false
}

// Clock writes minutes after midnight as stored and sent by the API:
// "09:30". Lists are ordered by these strings, so hours have two digits.
func Clock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// normalizeClock stores a readable time of day in the form Clock writes
// and leaves anything else as typed, for the validation to name.
func normalizeClock(s *string) {
	if m, ok := ParseClock(*s); ok {
		*s = Clock(m)
	}
}

// StartOn returns the meeting's start on day d in Berlin.
func (e Event) StartOn(d day.Date) time.Time {
	m, _ := ParseClock(e.StartTime)
	return d.At(m/60, m%60)
}

// EndOn returns the meeting's end on day d in Berlin.
func (e Event) EndOn(d day.Date) time.Time {
	m, _ := ParseClock(e.EndTime)
	return d.At(m/60, m%60)
}

// RoomLine is a room as running text names it: "Raum: Großer Saal", or
// the room as typed when its name already says it is one ("Raum 2",
// "Raum Ruhr", "Räume 1 und 2"). Rooms are stored as typed: "Raum Ruhr"
// is a name, and cutting it to "Ruhr" lost it.
func RoomLine(room string) string {
	room = strings.TrimSpace(room)
	switch {
	case room == "":
		return ""
	case namesRoom(room):
		return room
	}
	return "Raum: " + room
}

// namesRoom reports whether s begins with the word "Raum" or "Räume".
func namesRoom(s string) bool {
	lower := strings.ToLower(s)
	for _, word := range []string{"raum", "räume"} {
		if rest, ok := strings.CutPrefix(lower, word); ok {
			next, _ := utf8.DecodeRuneInString(rest)
			return rest == "" || !unicode.IsLetter(next)
		}
	}
	return false
}
