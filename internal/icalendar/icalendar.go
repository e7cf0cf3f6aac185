// Package icalendar holds what the service's calendar files share: the
// time zone every meeting takes place in, spelled out as a VTIMEZONE so
// clients need no zone database of their own.
package icalendar

import ics "github.com/arran4/golang-ical"

// TZID names the zone of every meeting.
const TZID = "Europe/Berlin"

// LocalTime is the layout of a local date-time with TZID.
const LocalTime = "20060102T150405"

// BerlinTimezone describes Europe/Berlin as in force since 1996: CEST
// from the last Sunday in March, 02:00, to the last Sunday in October,
// 03:00.
func BerlinTimezone() *ics.VTimezone {
	tz := ics.NewTimezone(TZID)
	// Not ics.ComponentPropertyExtended: in v0.3.4 it yields "X-X-".
	tz.AddProperty(ics.ComponentProperty("X-LIC-LOCATION"), TZID)
	daylight := &ics.Daylight{}
	daylight.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0100")
	daylight.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0200")
	daylight.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CEST")
	daylight.AddProperty(ics.ComponentPropertyDtStart, "19700329T020000")
	daylight.AddProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	standard := &ics.Standard{}
	standard.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0200")
	standard.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0100")
	standard.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CET")
	standard.AddProperty(ics.ComponentPropertyDtStart, "19701025T030000")
	standard.AddProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	tz.Components = append(tz.Components, daylight, standard)
	return tz
}
