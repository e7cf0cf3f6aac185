package mail_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// deliverAll sends what is queued to srv and returns the mails received
// since `seen`.
func deliverAll(t *testing.T, f *fixture, srv *smtpServer, seen int) []parsedMail {
	t.Helper()
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if _, err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []parsedMail
	for _, r := range srv.messages()[seen:] {
		out = append(out, parseMail(t, r.Data))
	}
	return out
}

// calendarOf parses an attachment and returns METHOD and, per UID, the
// VEVENT.
func calendarOf(t *testing.T, a parsedPart) (string, map[string]*ics.VEvent) {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(a.Data))
	if err != nil {
		t.Fatalf("parse %s: %v\n%s", a.Filename, err, a.Data)
	}
	out := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		out[e.Id()] = e
	}
	return calendarProperty(cal, ics.PropertyMethod), out
}

func sequenceOf(t *testing.T, e *ics.VEvent) int {
	t.Helper()
	n, err := strconv.Atoi(e.GetProperty(ics.ComponentPropertySequence).Value)
	if err != nil {
		t.Fatalf("SEQUENCE of %s: %v", e.Id(), err)
	}
	return n
}

func attachment(t *testing.T, m parsedMail, name string) parsedPart {
	t.Helper()
	for _, a := range m.Attachments {
		if a.Filename == name {
			return a
		}
	}
	t.Fatalf("mail %q has no attachment %s (has %d)", m.Subject, name, len(m.Attachments))
	return parsedPart{}
}

func sortedKeys(m map[string]*ics.VEvent) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestReminderNamesTheDaysGroupsAndCarriesTheProgramme(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	reg := f.mustRegister(t, ev.ID, guest(1, "Jugendamt Bonn", f.days[1:]))
	g := f.mustGroup(t, ev, f.days[1], "13:00", "14:30", "Arbeitsgruppen", "Frühe Hilfen vernetzen", "Raum Ruhr", "Anna Beispiel")
	f.assign(t, ev, reg.ID, g.ID, workinggroup.Participant)
	kind, title, start, end := agenda.Talk, "Eröffnung und Grußwort", "10:00", "10:30"
	if _, err := f.agenda.Create(ctx, ev, agenda.Input{Day: &f.days[0], StartsAt: &start, EndsAt: &end, Kind: &kind, Title: &title}); err != nil {
		t.Fatal(err)
	}
	srv := startSMTP(t, "127.0.0.1:0")
	seen := len(deliverAll(t, f, srv, 0)) // the confirmation
	seven := 7
	queue := func(r registration.Registration) {
		err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
			_, err := outbox.EnqueueOnce(tx, outbox.Message{Kind: outbox.Reminder, EventID: &ev.ID, RegistrationID: &r.ID, ReminderDays: &seven, Recipient: r.Email}, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	queue(reg)
	got := deliverAll(t, f, srv, seen)
	if len(got) != 1 {
		t.Fatalf("%d mails, want the reminder", len(got))
	}
	m := got[0]
	if want := "Erinnerung: 17. Lernnetzwerktreffen in 7 Tagen in Köln"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	for name, body := range map[string]string{"text": m.Text, "HTML": m.HTML} {
		for _, want := range []string{"in 7 Tagen", f.days[1].GermanLong(), "Jugendherberge Köln-Deutz", "Siegesstraße 5",
			"Frühe Hilfen vernetzen", "Raum Ruhr", "13:00", "programm-" + strconv.FormatInt(ev.ID, 10) + ".pdf", "/manage/"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s part lacks %q:\n%s", name, want, body)
			}
		}
		if strings.Contains(body, f.days[0].GermanLong()) {
			t.Errorf("%s part names the day the person does not attend:\n%s", name, body)
		}
	}
	pdf := attachment(t, m, "programm-"+strconv.FormatInt(ev.ID, 10)+".pdf")
	if pdf.ContentType != "application/pdf" {
		t.Errorf("programme attached as %s", pdf.ContentType)
	}
	path := filepath.Join(t.TempDir(), "programm.pdf")
	if err := os.WriteFile(path, pdf.Data, 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(text), "Eröffnung und Grußwort") {
		t.Errorf("attached programme lacks its item:\n%s", text)
	}

	// Someone who cancelled meanwhile gets no reminder; the record says why.
	other := f.mustRegister(t, ev.ID, guest(2, "Jugendamt Bonn", nil))
	if _, err := f.regs.Cancel(ctx, other.ID, audit.Participant); err != nil {
		t.Fatal(err)
	}
	seen = len(srv.messages())
	deliverAll(t, f, srv, seen)
	seen = len(srv.messages())
	queue(other)
	if got := deliverAll(t, f, srv, seen); len(got) != 0 {
		t.Fatalf("a cancelled registration got %d reminders", len(got))
	}
	if msg := f.messageOfKind(t, other.ID, outbox.Reminder); msg.Status != outbox.Failed || !strings.Contains(msg.LastError, "Nicht gesendet") {
		t.Errorf("reminder to a cancelled registration: %s %q", msg.Status, msg.LastError)
	}
}

func TestDateChangeMovesTheCalendarEntriesAndCancellationRemovesThem(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	f.mustRegister(t, ev.ID, guest(1, "Jugendamt Bonn", nil))
	srv := startSMTP(t, "127.0.0.1:0")
	confirmation := deliverAll(t, f, srv, 0)
	if len(confirmation) != 1 {
		t.Fatalf("%d mails, want the confirmation", len(confirmation))
	}
	method, before := calendarOf(t, attachment(t, confirmation[0], "einladung.ics"))
	if method != "REQUEST" || len(before) != 2 {
		t.Fatalf("confirmation: METHOD %s with %d entries", method, len(before))
	}

	// The meeting moves a week later and ends later.
	moved := day.List{}
	for _, d := range f.days {
		moved = append(moved, day.Of(d.In(time.UTC).AddDate(0, 0, 7)))
	}
	ends := "17:00"
	_, change, err := f.events.Save(ctx, ev.ID, event.Input{Days: &moved, EndTime: &ends})
	if err != nil || change == nil {
		t.Fatalf("save: change %v, %v", change, err)
	}
	for _, want := range []string{"Datum: " + f.days.German() + " → " + moved.German(), "Uhrzeit: 10:00–16:30 Uhr → 10:00–17:00 Uhr"} {
		if !strings.Contains(change.Summary, want) {
			t.Errorf("change %q lacks %q", change.Summary, want)
		}
	}
	if n, err := f.events.NotifyChange(ctx, ev.ID, change.ID); err != nil || n != 1 {
		t.Fatalf("notify: %d, %v", n, err)
	}
	if n, err := f.events.NotifyChange(ctx, ev.ID, change.ID); err != nil || n != 0 {
		t.Fatalf("notify again: %d, %v; want nobody twice", n, err)
	}
	notice := deliverAll(t, f, srv, 1)
	if len(notice) != 1 {
		t.Fatalf("%d mails, want the change notice", len(notice))
	}
	if !strings.HasPrefix(notice[0].Subject, "Geänderte Angaben: 17. Lernnetzwerktreffen am "+moved.German()) {
		t.Errorf("subject %q", notice[0].Subject)
	}
	if !strings.Contains(notice[0].Text, "Datum: "+f.days.German()+" → "+moved.German()) {
		t.Errorf("notice does not say what changed:\n%s", notice[0].Text)
	}
	method, after := calendarOf(t, attachment(t, notice[0], "einladung.ics"))
	if method != "REQUEST" {
		t.Errorf("update METHOD %s, want REQUEST", method)
	}
	if strings.Join(sortedKeys(after), " ") != strings.Join(sortedKeys(before), " ") {
		t.Fatalf("update UIDs %v, want the confirmation's %v", sortedKeys(after), sortedKeys(before))
	}
	for uid, e := range after {
		if sequenceOf(t, e) <= sequenceOf(t, before[uid]) {
			t.Errorf("%s: SEQUENCE %d not above the confirmation's %d", uid, sequenceOf(t, e), sequenceOf(t, before[uid]))
		}
		start, err := e.GetStartAt()
		if err != nil {
			t.Fatal(err)
		}
		if !moved.Contains(day.Of(start.In(day.Location()))) {
			t.Errorf("%s starts %s, not on a moved day", uid, start)
		}
	}

	// Cancelling the meeting sends CANCEL for the same entries, above
	// the update's SEQUENCE, without asking first.
	cancelled := event.Cancelled
	if _, change, err = f.events.Save(ctx, ev.ID, event.Input{Status: &cancelled}); err != nil || change == nil || !change.Cancelled {
		t.Fatalf("cancel: %+v, %v", change, err)
	}
	gone := deliverAll(t, f, srv, 2)
	if len(gone) != 1 || !strings.HasPrefix(gone[0].Subject, "Abgesagt: 17. Lernnetzwerktreffen") {
		t.Fatalf("after cancelling: %d mails", len(gone))
	}
	method, cancel := calendarOf(t, attachment(t, gone[0], "absage.ics"))
	if method != "CANCEL" || strings.Join(sortedKeys(cancel), " ") != strings.Join(sortedKeys(before), " ") {
		t.Fatalf("cancellation METHOD %s for %v", method, sortedKeys(cancel))
	}
	for uid, e := range cancel {
		if sequenceOf(t, e) <= sequenceOf(t, after[uid]) || e.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" {
			t.Errorf("%s: SEQUENCE %d (update %d), STATUS %s", uid, sequenceOf(t, e), sequenceOf(t, after[uid]), e.GetProperty(ics.ComponentPropertyStatus).Value)
		}
	}
}

func TestOwnChangeOfDaysUpdatesAndCancelsCalendarEntries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	in := person(1, nil, f.days)
	in.Organisation = "Jugendamt Bonn"
	reg := f.mustRegister(t, ev.ID, in)
	srv := startSMTP(t, "127.0.0.1:0")
	_, before := calendarOf(t, attachment(t, deliverAll(t, f, srv, 0)[0], "einladung.ics"))

	// A change that is not of the days: a confirmation without calendar.
	in.DietaryNeeds = "vegetarisch"
	if _, err := f.regs.Update(ctx, reg.ID, in, audit.Participant); err != nil {
		t.Fatal(err)
	}
	got := deliverAll(t, f, srv, 1)
	if len(got) != 1 || !strings.HasPrefix(got[0].Subject, "Ihre Änderung ist gespeichert") || len(got[0].Attachments) != 0 {
		t.Fatalf("after changing the diet: %d mails %+v", len(got), got)
	}
	if !strings.Contains(got[0].Text, "Verpflegung: vegetarisch") {
		t.Errorf("confirmation lacks the new data:\n%s", got[0].Text)
	}
	// Saving without a change sends nothing.
	if _, err := f.regs.Update(ctx, reg.ID, in, audit.Participant); err != nil {
		t.Fatal(err)
	}
	if got := deliverAll(t, f, srv, 2); len(got) != 0 {
		t.Fatalf("saving unchanged data sent %d mails", len(got))
	}

	in.Days = f.days[:1]
	if _, err := f.regs.Update(ctx, reg.ID, in, audit.Participant); err != nil {
		t.Fatal(err)
	}
	got = deliverAll(t, f, srv, 2)
	if len(got) != 1 {
		t.Fatalf("after changing the days: %d mails", len(got))
	}
	method, kept := calendarOf(t, attachment(t, got[0], "einladung.ics"))
	keep := f.composer.CalendarUID(reg.ID, f.days[0])
	if method != "REQUEST" || len(kept) != 1 || kept[keep] == nil || sequenceOf(t, kept[keep]) <= sequenceOf(t, before[keep]) {
		t.Errorf("update METHOD %s %v, want %s with a higher SEQUENCE", method, sortedKeys(kept), keep)
	}
	method, dropped := calendarOf(t, attachment(t, got[0], "absage.ics"))
	drop := f.composer.CalendarUID(reg.ID, f.days[1])
	if method != "CANCEL" || len(dropped) != 1 || dropped[drop] == nil || sequenceOf(t, dropped[drop]) <= sequenceOf(t, before[drop]) {
		t.Errorf("cancellation METHOD %s %v, want %s with a higher SEQUENCE", method, sortedKeys(dropped), drop)
	}
}
