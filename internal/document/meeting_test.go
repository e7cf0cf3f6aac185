package document_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

// hamm is the city as a word of its own: "Hammer Straße" does not name it.
var hamm = regexp.MustCompile(`\bHamm\b`)

// TestVenueCityOnce checks the address blocks follow event.VenueLines:
// the city is printed once, left out only when the address names it as a
// word of its own – "Hammer Straße 10" does not name Hamm.
func TestVenueCityOnce(t *testing.T) {
	ev := confirmationMeeting()
	ev.VenueName, ev.VenueAddress, ev.VenueCity = "Kurhaus Bad Hamm", "Ostenallee 87\nEingang Hammer Straße", "Hamm"

	reg := confirmationRegistration(registration.Confirmed)
	text := flat(pdfText(t, renderConfirmation(t, ev, reg, "Stadt Ahlen", 0)))
	inOrder(t, text, "Ort Kurhaus Bad Hamm Ostenallee 87 Eingang Hammer Straße Hamm Veranstalter")

	regs := []registration.Registration{*reg}
	regs[0].MunicipalityID = nil
	cert := flat(pdfText(t, renderCertificates(t, ev, regs, map[int64]day.List{reg.ID: ev.Days})))
	inOrder(t, cert, "Veranstaltungsort Kurhaus Bad Hamm Ostenallee 87 Eingang Hammer Straße Hamm Veranstalter")

	// The programme's first page shows the city only in the venue block:
	// once after the venue's name.
	var buf bytes.Buffer
	if err := document.Programme(&buf, ev, nil, nil, nil, nil, generatedAt); err != nil {
		t.Fatal(err)
	}
	prog := pdfText(t, writePDF(t, buf.Bytes()))
	if n := len(hamm.FindAllString(prog, -1)); n != 2 { // "Kurhaus Bad Hamm" and the city
		t.Errorf("programme names Hamm %d times, want twice (the venue's name and the city):\n%s", n, prog)
	}

	// An address that names the city keeps it there only.
	ev.VenueName, ev.VenueAddress = "Kurhaus", "Ostenallee 87\n59071 Hamm"
	text = flat(pdfText(t, renderConfirmation(t, ev, reg, "Stadt Ahlen", 0)))
	inOrder(t, text, "Ort Kurhaus Ostenallee 87 59071 Hamm Veranstalter")
	if n := len(hamm.FindAllString(text, -1)); n != 1 {
		t.Errorf("confirmation names Hamm %d times, want once:\n%s", n, text)
	}
}

// twoDayProgramme ends the second day of confirmationMeeting at 14:00.
func twoDayProgramme(ev *event.Event) event.Schedule {
	day1, day2 := ev.Days[0], ev.Days[1]
	return ev.Schedule(agenda.Spans([]agenda.Item{
		{Day: day1, StartsAt: "10:00", EndsAt: "12:30"},
		{Day: day1, StartsAt: "13:30", EndsAt: "16:00"},
		{Day: day2, StartsAt: "09:00", EndsAt: "14:00"},
	}))
}

// TestScheduleDiffers gives a two-day meeting whose programme ends the
// second day at 14:00: the documents print each day's hours, as the
// mails do, where they printed the meeting's times for both.
func TestScheduleDiffers(t *testing.T) {
	ev := confirmationMeeting()
	schedule := twoDayProgramme(ev)
	first := "Mittwoch, 13. September 2017, 10:00–16:00 Uhr"
	second := "Donnerstag, 14. September 2017, 09:00–14:00 Uhr"

	reg := confirmationRegistration(registration.Confirmed)
	var buf bytes.Buffer
	if err := document.Confirmation(&buf, ev, schedule, reg, "Stadt Ahlen", 0, letterhead, manageURL, generatedAt); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, buf.Bytes()))
	inOrder(t, text, "Termine", first, second)
	if strings.Contains(text, "jeweils") || strings.Contains(text, "14. September 2017, 10:00–16:00 Uhr") {
		t.Errorf("confirmation gives the meeting's times for the second day:\n%s", text)
	}

	// Only the second day: its hours.
	reg.Days = day.List{ev.Days[1]}
	buf.Reset()
	if err := document.Confirmation(&buf, ev, schedule, reg, "Stadt Ahlen", 0, letterhead, manageURL, generatedAt); err != nil {
		t.Fatal(err)
	}
	inOrder(t, pdfText(t, writePDF(t, buf.Bytes())), "Termin", second, "Teilnahme an 1 von 2 Veranstaltungstagen")

	buf.Reset()
	attended := map[int64]day.List{reg.ID: ev.Days}
	if err := document.Certificates(&buf, ev, schedule, []registration.Registration{*reg}, nil, attended, letterhead, generatedAt); err != nil {
		t.Fatal(err)
	}
	cert := pdfText(t, writePDF(t, buf.Bytes()))
	inOrder(t, cert, "Teilnahme", first, second, "Veranstaltungsort")

	buf.Reset()
	if err := document.SignatureList(&buf, ev, schedule, []registration.Registration{*reg}, nil, ev.Days[1], generatedAt); err != nil {
		t.Fatal(err)
	}
	inOrder(t, pdfText(t, writePDF(t, buf.Bytes())), "Donnerstag, 14. September 2017 · 09:00–14:00 Uhr")

	// The programme reads the hours from its items.
	buf.Reset()
	items := []agenda.Item{
		{ID: 1, Day: ev.Days[0], StartsAt: "10:00", EndsAt: "16:00", Kind: agenda.Talk, Title: "Vortrag"},
		{ID: 2, Day: ev.Days[1], StartsAt: "09:00", EndsAt: "14:00", Kind: agenda.Talk, Title: "Werkstatt"},
	}
	if err := document.Programme(&buf, ev, items, nil, nil, nil, generatedAt); err != nil {
		t.Fatal(err)
	}
	prog := pdfText(t, writePDF(t, buf.Bytes()))
	if !regexp.MustCompile(`Mittwoch, 13. September 2017 .*\n *10:00–16:00 Uhr .*\n(.*\n)? *Donnerstag, 14. September 2017 .*\n *09:00–14:00 Uhr`).MatchString(prog) {
		t.Errorf("programme does not give each day its hours:\n%s", prog)
	}

	// Without a schedule: the meeting's own times, as before.
	reg.Days = nil
	buf.Reset()
	if err := document.Confirmation(&buf, ev, nil, reg, "Stadt Ahlen", 0, letterhead, manageURL, generatedAt); err != nil {
		t.Fatal(err)
	}
	inOrder(t, pdfText(t, writePDF(t, buf.Bytes())), first, "Donnerstag, 14. September 2017, 10:00–16:00 Uhr")
}

// TestScheduleManyDays puts twelve days in runs of days alike when they
// are too many for a line each.
func TestScheduleManyDays(t *testing.T) {
	ev := confirmationMeeting()
	ev.Days = nil
	for d := 11; d <= 22; d++ {
		ev.Days = append(ev.Days, day.Date{Year: 2017, Month: time.September, Day: d})
	}
	schedule := ev.Schedule(map[day.Date]event.Hours{ev.Days[11]: {Start: "10:00", End: "14:00"}})
	reg := confirmationRegistration(registration.Confirmed)
	reg.Days = nil
	var buf bytes.Buffer
	if err := document.Confirmation(&buf, ev, schedule, reg, "Stadt Ahlen", 0, letterhead, manageURL, generatedAt); err != nil {
		t.Fatal(err)
	}
	inOrder(t, pdfText(t, writePDF(t, buf.Bytes())), "11.–21.09.2017, jeweils 10:00–16:00 Uhr", "22.09.2017, 10:00–14:00 Uhr")

	buf.Reset()
	if err := document.Certificates(&buf, ev, schedule, []registration.Registration{*reg}, nil,
		map[int64]day.List{reg.ID: ev.Days}, letterhead, generatedAt); err != nil {
		t.Fatal(err)
	}
	inOrder(t, pdfText(t, writePDF(t, buf.Bytes())), "11.–21.09.2017, jeweils 10:00–16:00 Uhr", "22.09.2017, 10:00–14:00 Uhr")
}
