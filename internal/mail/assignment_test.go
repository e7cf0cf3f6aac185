package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// mustGroup creates a working group in the slot given by day and times.
func (f *fixture) mustGroup(t *testing.T, ev event.Event, d day.Date, starts, ends, label, title, room, moderators string, inputs ...workinggroup.InputSpec) workinggroup.Group {
	t.Helper()
	g, err := f.groups.CreateGroup(context.Background(), ev, workinggroup.GroupInput{
		Day: &d, StartsAt: &starts, EndsAt: &ends, SlotLabel: &label,
		Title: &title, Room: &room, Moderators: &moderators, Capacity: ptr(20), Inputs: &inputs,
	})
	if err != nil {
		t.Fatalf("create group %s: %v", title, err)
	}
	return g
}

// assign puts a registration into a group by hand; a role is set as a
// planning run sets it for speakers.
func (f *fixture) assign(t *testing.T, ev event.Event, regID, groupID int64, role workinggroup.Role) {
	t.Helper()
	a, err := f.groups.Move(context.Background(), ev, regID, groupID, false, audit.System)
	if err != nil {
		t.Fatalf("assign %d to group %d: %v", regID, groupID, err)
	}
	if role != workinggroup.Participant {
		err := f.db.Gorm.Model(&workinggroup.Assignment{}).Where("registration_id = ? AND slot_id = ?", regID, a.SlotID).
			Update("role", role).Error
		if err != nil {
			t.Fatalf("set role: %v", err)
		}
	}
}

// messageOfKind returns the registration's single original (not a copy)
// message of a kind.
func (f *fixture) messageOfKind(t *testing.T, regID int64, kind outbox.Kind) outbox.Message {
	t.Helper()
	list, err := f.outbox.List(context.Background(), outbox.Filter{RegistrationID: regID})
	if err != nil {
		t.Fatal(err)
	}
	var found []outbox.Message
	for _, m := range list {
		if m.Kind == kind && m.CopyOf == nil {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("registration %d has %d %s messages, want 1", regID, len(found), kind)
	}
	return found[0]
}

func TestAssignmentMailListsGroupsInTimeOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	reg := f.mustRegister(t, ev.ID, guest(1, "Landesjugendamt", f.days))
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain the confirmation: %d, %v", n, err)
	}

	// Created in the reverse of time order: the afternoon slot first.
	afternoon := f.mustGroup(t, ev, f.days[0], "14:00", "15:30", "Arbeitsgruppen am Nachmittag",
		"Übergänge gestalten – Kita und Grundschule", "Saal Köln", "Jürgen Weiß",
		workinggroup.InputSpec{Title: "Stadt Düren – Übergangsmanagement", Speaker: "Frau Größe"})
	f.mustGroup(t, ev, f.days[0], "14:00", "15:30", "Arbeitsgruppen am Nachmittag", "Nicht zugeteilt: Jugendhilfeplanung", "Raum Bonn", "")
	morning := f.mustGroup(t, ev, f.days[0], "09:30", "11:00", "Arbeitsgruppen am Vormittag",
		"Kinderschutz im Quartier", "Raum Münster 1.04", "Dr. Anna Schäfer",
		workinggroup.InputSpec{Title: "Stadt Ahlen – Steuerungsstruktur", Speaker: "Herr Özdemir"},
		workinggroup.InputSpec{Title: "Kreis Höxter – Frühe Hilfen"})
	f.assign(t, ev, reg.ID, afternoon.ID, workinggroup.Participant)
	f.assign(t, ev, reg.ID, morning.ID, workinggroup.Participant)
	f.enqueue(t, outbox.Assignment, reg)
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain the assignment: %d, %v", n, err)
	}
	got := srv.messages()
	if len(got) != 2 {
		t.Fatalf("server received %d messages, want confirmation and assignment", len(got))
	}
	raw := got[1]
	if len(raw.To) != 1 || raw.To[0] != reg.Email {
		t.Errorf("RCPT TO %v, want the participant only", raw.To)
	}
	for _, b := range raw.Data {
		if b >= 0x80 {
			t.Fatal("raw message has 8-bit bytes")
		}
	}
	m := parseMail(t, raw.Data)
	if want := "Ihre Arbeitsgruppen: 17. Lernnetzwerktreffen"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if len(m.Attachments) != 0 {
		t.Errorf("%d attachments, want none", len(m.Attachments))
	}
	day1 := f.days[0].GermanLong()
	inOrder := []string{
		"Landesjugendamt",
		day1 + ", 09:30–11:00 Uhr", "Arbeitsgruppen am Vormittag", "Kinderschutz im Quartier", "Raum Münster 1.04", "Dr. Anna Schäfer",
		"Stadt Ahlen – Steuerungsstruktur (Herr Özdemir)", "Kreis Höxter – Frühe Hilfen",
		day1 + ", 14:00–15:30 Uhr", "Arbeitsgruppen am Nachmittag", "Übergänge gestalten – Kita und Grundschule", "Saal Köln", "Jürgen Weiß",
		"Stadt Düren – Übergangsmanagement (Frau Größe)",
		f.manageLinkIn(t, m.Text, reg),
	}
	for name, body := range map[string]string{"text": m.Text, "HTML": m.HTML} {
		at := 0
		for _, want := range inOrder {
			i := strings.Index(body[at:], want)
			if i < 0 {
				t.Errorf("%s part lacks %q after byte %d:\n%s", name, want, at, body)
				break
			}
			at += i + len(want)
		}
		for _, unwanted := range []string{"Nicht zugeteilt", "mit einem Input eingeplant", "Moderation eingeplant", "Kopie"} {
			if strings.Contains(body, unwanted) {
				t.Errorf("%s part contains %q", name, unwanted)
			}
		}
	}
	if !strings.Contains(strings.ReplaceAll(m.Text, "\r\n", "\n"), "Inputs:        Stadt Ahlen – Steuerungsstruktur (Herr Özdemir)\n               Kreis Höxter – Frühe Hilfen\n") {
		t.Errorf("text part does not list the inputs one a line:\n%s", m.Text)
	}
	stored := f.messageOfKind(t, reg.ID, outbox.Assignment)
	if stored.Status != outbox.Sent || stored.Subject != m.Subject || !strings.Contains(stored.TextBody, "Übergänge gestalten") {
		t.Errorf("outbox row: status %s subject %q", stored.Status, stored.Subject)
	}
}

func TestAssignmentMailNotesTheSpeakerAndIsCopied(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	ahlen := f.mustMunicipality(t, "Stadt Ahlen")
	f.mustUser(t, "koordination@ahlen.example", "Kora Koordinatorin", account.Coordinator, &ahlen.ID)
	speaker := f.mustRegister(t, ev.ID, person(1, &ahlen.ID, f.days))
	moderator := f.mustRegister(t, ev.ID, guest(2, "Landesjugendamt", f.days))
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if n, err := w.Drain(ctx); err != nil || n != 3 {
		t.Fatalf("drain confirmations and the copy: %d, %v", n, err)
	}
	g := f.mustGroup(t, ev, f.days[1], "10:00", "12:00", "", "Steuerung im Kinderschutz", "Großer Saal", "Landesjugendamt",
		workinggroup.InputSpec{MunicipalityID: &ahlen.ID, Title: "Stadt Ahlen – Steuerungsstruktur", Speaker: "Frau Dr. Müller1", RegistrationID: &speaker.ID})
	f.assign(t, ev, speaker.ID, g.ID, workinggroup.Speaker)
	f.assign(t, ev, moderator.ID, g.ID, workinggroup.Moderator)
	f.enqueue(t, outbox.Assignment, speaker)
	f.enqueue(t, outbox.Assignment, moderator)
	if n, err := w.Drain(ctx); err != nil || n != 3 {
		t.Fatalf("drain assignments and the copy: %d, %v", n, err)
	}
	got := srv.messages()[3:]
	if len(got) != 3 {
		t.Fatalf("%d assignment mails, want 3", len(got))
	}
	byRcpt := map[string]parsedMail{}
	for _, r := range got {
		if len(r.To) != 1 {
			t.Fatalf("RCPT TO %v, want one recipient per message", r.To)
		}
		byRcpt[strings.ToLower(r.To[0])] = parseMail(t, r.Data)
	}
	want := f.days[1].GermanLong() + ", 10:00–12:00 Uhr"
	sp, ok := byRcpt[speaker.Email]
	if !ok {
		t.Fatalf("no mail to the speaker among %v", keys(byRcpt))
	}
	if sp.Subject != "Ihre Arbeitsgruppe: 17. Lernnetzwerktreffen" || len(sp.Attachments) != 0 {
		t.Errorf("speaker's mail: subject %q, %d attachments", sp.Subject, len(sp.Attachments))
	}
	for name, body := range map[string]string{"text": oneLine(sp.Text), "HTML": oneLine(sp.HTML)} {
		for _, s := range []string{want, "Steuerung im Kinderschutz", "Großer Saal", "Sie sind in dieser Arbeitsgruppe mit einem Input eingeplant.",
			"Eine Kopie dieser E-Mail erhält die kommunale Koordination Ihrer Kommune."} {
			if !strings.Contains(body, s) {
				t.Errorf("speaker's %s part lacks %q:\n%s", name, s, body)
			}
		}
	}
	mod := byRcpt[moderator.Email]
	if !strings.Contains(oneLine(mod.Text), "Sie sind in dieser Arbeitsgruppe für die Moderation eingeplant.") ||
		strings.Contains(mod.Text, "mit einem Input") || strings.Contains(mod.Text, "Kopie") {
		t.Errorf("moderator's text:\n%s", mod.Text)
	}
	c, ok := byRcpt["koordination@ahlen.example"]
	if !ok {
		t.Fatalf("no copy to the coordinator among %v", keys(byRcpt))
	}
	if c.Subject != "Kopie: "+sp.Subject || len(c.Attachments) != 0 || !strings.Contains(c.Text, speaker.Email) ||
		!strings.Contains(c.Text, "Steuerung im Kinderschutz") {
		t.Errorf("copy: subject %q, text:\n%s", c.Subject, c.Text)
	}
	list, err := f.outbox.List(ctx, outbox.Filter{RegistrationID: speaker.ID})
	if err != nil {
		t.Fatal(err)
	}
	copies := 0
	for _, m := range list {
		if m.Kind == outbox.Assignment && m.CopyOf != nil {
			copies++
			if m.Status != outbox.Sent || m.Recipient != "koordination@ahlen.example" {
				t.Errorf("copy row %+v", m)
			}
		}
	}
	if copies != 1 {
		t.Errorf("%d copy rows of the assignment mail, want 1", copies)
	}
}

func TestAssignmentMailWithoutAssignmentFails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	unassigned := f.mustRegister(t, ev.ID, guest(1, "Jugendamt", f.days))
	cancelled := f.mustRegister(t, ev.ID, guest(2, "Jugendamt", f.days))
	g := f.mustGroup(t, ev, f.days[0], "14:00", "15:30", "", "Kinderschutz im Quartier", "Saal Köln", "")
	f.assign(t, ev, cancelled.ID, g.ID, workinggroup.Participant)
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drain confirmations: %d, %v", n, err)
	}
	f.enqueue(t, outbox.Assignment, unassigned)
	f.enqueue(t, outbox.Assignment, cancelled)
	// Cancelled after the mail was queued; the assignment row stays
	// until the next planning run.
	if _, err := f.regs.Cancel(ctx, cancelled.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 3 {
		t.Fatalf("drain: %d, %v; want two assignments and the cancellation", n, err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 0 {
		t.Fatalf("drain again: %d, %v; a failed message came back", n, err)
	}
	got := srv.messages()[2:]
	if len(got) != 1 || !strings.HasPrefix(parseMail(t, got[0].Data).Subject, "Stornierung") {
		t.Fatalf("server received %d more messages, want only the cancellation", len(got))
	}
	for reg, reason := range map[int64]string{
		unassigned.ID: "Nicht gesendet: Die Anmeldung ist zurzeit keiner Arbeitsgruppe zugeteilt.",
		cancelled.ID:  "Nicht gesendet: Die Anmeldung ist nicht mehr bestätigt (" + registration.Cancelled.Label() + ")",
	} {
		m := f.messageOfKind(t, reg, outbox.Assignment)
		if m.Status != outbox.Failed || m.Attempts != 1 || !strings.HasPrefix(m.LastError, reason) || m.SentAt != nil {
			t.Errorf("registration %d: status %s attempts %d error %q; want failed at once with %q", reg, m.Status, m.Attempts, m.LastError, reason)
		}
	}
	if st := w.Stats(); st.Failed != 2 || st.Retried != 0 {
		t.Errorf("stats %+v, want 2 failed and none retried", st)
	}
}
