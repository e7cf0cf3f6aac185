package mail

import (
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/icalendar"
	"github.com/isa-nrw/treffen/internal/registration"
)

const icsDate = "20060102"

// CalendarUID returns the UID of the calendar entry for one day of a
// registration, named after the day's anchor (event.CalendarAnchors):
// invitation, updates and cancellation share it, so a client moves or
// removes exactly the entry it added.
func (c *Composer) CalendarUID(registrationID int64, d day.Date) string {
	return fmt.Sprintf("reg-%d-%04d%02d%02d@%s", registrationID, d.Year, int(d.Month), d.Day, c.host)
}

// calendarEntry is one VEVENT: its UID and the day it is on.
type calendarEntry struct {
	UID string
	Day day.Date
}

// entries returns the calendar entries of the meeting's days among days:
// the i-th day of the meeting is named after the i-th anchor, a day
// added beyond the anchors after itself (in a form no anchor has).
func (c *Composer) entries(ev *event.Event, regID int64, days day.List) []calendarEntry {
	anchors := ev.CalendarAnchors()
	var out []calendarEntry
	for i, d := range ev.Days {
		if !days.Contains(d) {
			continue
		}
		uid := ""
		switch {
		case i < len(anchors):
			uid = c.CalendarUID(regID, anchors[i])
		default:
			uid = fmt.Sprintf("reg-%d-%04d%02d%02d-added@%s", regID, d.Year, int(d.Month), d.Day, c.host)
		}
		out = append(out, calendarEntry{UID: uid, Day: d})
	}
	return out
}

// goneEntries returns the entries of anchors beyond the meeting's days:
// days dropped since they were announced, to cancel.
func (c *Composer) goneEntries(ev *event.Event, regID int64) []calendarEntry {
	var out []calendarEntry
	anchors := ev.CalendarAnchors()
	for i := len(ev.Days); i < len(anchors); i++ {
		out = append(out, calendarEntry{UID: c.CalendarUID(regID, anchors[i]), Day: anchors[i]})
	}
	return out
}

// invitation returns an iCalendar object with one VEVENT per entry: a
// REQUEST to add the meeting to the participant's calendar or update
// it, or a CANCEL (STATUS:CANCELLED) to remove it, each with the
// message's SEQUENCE (outbox.Store.CalendarSequence): higher than that
// of every calendar mail queued before it for the registration, so the
// calendar ends as the registration did, whenever each mail is sent. Each day has its hours from
// schedule; a day without valid hours is all-day. stamp is the DTSTAMP,
// the time the outbox row was written, so that every attempt sends the
// same bytes. note, if any, tells why ("Ihre Anmeldung wurde storniert.").
func (c *Composer) invitation(method ics.Method, sequence int, ev *event.Event, schedule event.Schedule, reg *registration.Registration, entries []calendarEntry, stamp time.Time, manageURL, note string) ([]byte, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("calendar for registration %d: the meeting has no days", reg.ID)
	}
	if stamp.IsZero() {
		stamp = time.Now()
	}
	cancel := method == ics.MethodCancel
	cal := ics.NewCalendar()
	cal.SetProductId("-//Institut für Soziale Arbeit e.V.//treffen//DE")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(method)
	cal.AddVTimezone(icalendar.BerlinTimezone())

	location := strings.Join(ev.VenueLines(), ", ")
	var desc strings.Builder
	desc.WriteString(ev.Name())
	if sub := ev.Subtitle(); sub != "" {
		desc.WriteString(": " + sub)
	}
	if ev.Motto != "" {
		desc.WriteString("\n„" + ev.Motto + "“")
	}
	if ev.Organiser != "" {
		desc.WriteString("\n\nVeranstalter: " + ev.Organiser)
	}
	if note != "" {
		desc.WriteString("\n\n" + note)
	}
	desc.WriteString("\n\nIhre Anmeldung ansehen, ändern oder stornieren:\n" + manageURL)

	for _, entry := range entries {
		d := entry.Day
		e := cal.AddEvent(entry.UID)
		e.SetDtStampTime(stamp)
		if h := schedule.On(d); h.Timed() {
			e.SetProperty(ics.ComponentPropertyDtStart, h.StartOn(d).Format(icalendar.LocalTime), ics.WithTZID(icalendar.TZID))
			e.SetProperty(ics.ComponentPropertyDtEnd, h.EndOn(d).Format(icalendar.LocalTime), ics.WithTZID(icalendar.TZID))
		} else {
			e.SetProperty(ics.ComponentPropertyDtStart, d.In(time.UTC).Format(icsDate), ics.WithValue(string(ics.ValueDataTypeDate)))
			e.SetProperty(ics.ComponentPropertyDtEnd, d.In(time.UTC).AddDate(0, 0, 1).Format(icsDate), ics.WithValue(string(ics.ValueDataTypeDate)))
		}
		summary := ev.Name()
		if len(entries) > 1 {
			summary += " (" + d.German() + ")"
		}
		e.SetSummary(summary)
		if location != "" {
			e.SetLocation(location)
		}
		e.SetDescription(desc.String())
		e.SetURL(manageURL)
		e.SetOrganizer(c.from.Address, ics.WithCN(paramText(c.organiser)))
		e.AddAttendee(reg.Email,
			ics.WithCN(paramText(reg.FullName())),
			ics.CalendarUserTypeIndividual,
			ics.ParticipationRoleReqParticipant,
			ics.ParticipationStatusAccepted,
			&ics.KeyValues{Key: string(ics.ParameterRsvp), Value: []string{"FALSE"}}, // WithRSVP writes lower case
		)
		e.SetSequence(sequence)
		if cancel {
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	var b strings.Builder
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("calendar for registration %d: %w", reg.ID, err)
	}
	return []byte(b.String()), nil
}

// paramText makes a name safe for an unquoted parameter value such as CN:
// golang-ical escapes , ; : ' with backslashes, which RFC 5545 does not
// know and clients show literally.
func paramText(s string) string {
	return strings.NewReplacer(`"`, "", `\`, " ", ",", " ", ";", " ", ":", " ", "'", "’").Replace(s)
}
