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
// registration; invitation and cancellation share it, so a client
// removes exactly the entry it added.
func (c *Composer) CalendarUID(registrationID int64, d day.Date) string {
	return fmt.Sprintf("reg-%d-%04d%02d%02d@%s", registrationID, d.Year, int(d.Month), d.Day, c.host)
}

// invitation returns an iCalendar object with one VEVENT per day: a
// REQUEST (SEQUENCE 0) to add the meeting to the participant's calendar
// or a CANCEL (STATUS:CANCELLED) to remove it. sequence is the entry's
// SEQUENCE: a cancellation's is at least 1, newer than the invitation;
// after a cancellation taken back it is higher still
// (outbox.Store.CalendarSequence). Each day
// has its hours from schedule; a day without valid hours is all-day. stamp is the
// DTSTAMP, the time the outbox row was written, so that every attempt
// sends the same bytes.
func (c *Composer) invitation(method ics.Method, sequence int, ev *event.Event, schedule event.Schedule, reg *registration.Registration, days day.List, stamp time.Time, manageURL string) ([]byte, error) {
	if len(days) == 0 {
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
	if cancel {
		desc.WriteString("\n\nIhre Anmeldung wurde storniert.")
	}
	desc.WriteString("\n\nIhre Anmeldung ansehen, ändern oder stornieren:\n" + manageURL)

	for _, d := range days {
		e := cal.AddEvent(c.CalendarUID(reg.ID, d))
		e.SetDtStampTime(stamp)
		if h := schedule.On(d); h.Timed() {
			e.SetProperty(ics.ComponentPropertyDtStart, h.StartOn(d).Format(icalendar.LocalTime), ics.WithTZID(icalendar.TZID))
			e.SetProperty(ics.ComponentPropertyDtEnd, h.EndOn(d).Format(icalendar.LocalTime), ics.WithTZID(icalendar.TZID))
		} else {
			e.SetProperty(ics.ComponentPropertyDtStart, d.In(time.UTC).Format(icsDate), ics.WithValue(string(ics.ValueDataTypeDate)))
			e.SetProperty(ics.ComponentPropertyDtEnd, d.In(time.UTC).AddDate(0, 0, 1).Format(icsDate), ics.WithValue(string(ics.ValueDataTypeDate)))
		}
		summary := ev.Name()
		if len(days) > 1 {
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
		if cancel {
			e.SetSequence(max(sequence, 1))
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetSequence(sequence)
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
