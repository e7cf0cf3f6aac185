package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func TestConfirmationArrivesWithTextHTMLAndInvitation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	muni := f.mustMunicipality(t, "Stadt Köln")
	reg := f.mustRegister(t, ev.ID, person(1, &muni.ID, f.days))
	if reg.Status != registration.Confirmed {
		t.Fatalf("status %s, want confirmed", reg.Status)
	}
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	n, err := w.Drain(ctx)
	if err != nil || n != 1 {
		t.Fatalf("drain: %d, %v; want 1 message", n, err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	if got[0].From != testFrom || len(got[0].To) != 1 || got[0].To[0] != reg.Email {
		t.Errorf("envelope from %q to %v", got[0].From, got[0].To)
	}
	m := parseMail(t, got[0].Data)
	wantSubject := "Anmeldebestätigung: 17. Lernnetzwerktreffen am " + f.days.German() + " in Köln"
	if m.Subject != wantSubject {
		t.Errorf("subject %q, want %q", m.Subject, wantSubject)
	}
	manage := f.manageLinkIn(t, m.Text, reg)
	if manage == testBaseURL+"/manage/"+reg.ManageToken {
		t.Error("the mail carries the link made at registration, not one of its own")
	}
	for name, body := range map[string]string{"text": m.Text, "HTML": m.HTML} {
		for _, want := range []string{
			"Sehr geehrte Frau Dr. Müller1", manage, "17. Lernnetzwerktreffen", "Kinderschutz – gemeinsam stärken",
			"10:00–16:30 Uhr", "Jugendherberge Köln-Deutz", "Siegesstraße 5", "Stadt Köln", "Bestätigt",
			"an beiden Tagen", "Ihr Team der Servicestelle Prävention", "Institut für Soziale Arbeit e.V.", "Datenschutz",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s part lacks %q:\n%s", name, want, body)
			}
		}
	}
	if !strings.Contains(m.HTML, `href="`+manage+`"`) {
		t.Errorf("HTML part has no link to %s", manage)
	}
	msgID := m.Header.Get("Message-Id")
	stored := f.onlyMessage(t, reg.ID)
	if want := fmt.Sprintf("<outbox-%d.treffen@treffen.example.org>", stored.ID); msgID != want {
		t.Errorf("Message-ID %q, want %q", msgID, want)
	}
	if stored.Status != outbox.Sent || stored.Transport != "smtp" || stored.Subject != wantSubject ||
		stored.MessageID != msgID || stored.SentAt == nil || stored.Attempts != 1 {
		t.Errorf("outbox row after sending: %+v", stored)
	}
	// The record of the sent mail keeps its text, not the secret link.
	if strings.Contains(stored.TextBody, manage) || !strings.Contains(stored.TextBody, testBaseURL+"/manage/[Link entfernt]") {
		t.Errorf("stored text keeps the link:\n%s", stored.TextBody)
	}
	// The HTML part is kept the same way, and the names of the files.
	if !strings.Contains(stored.HTMLBody, "Sehr geehrte Frau Dr. Müller1") || strings.Contains(stored.HTMLBody, manage) ||
		!strings.Contains(stored.HTMLBody, testBaseURL+"/manage/[Link entfernt]") {
		t.Errorf("stored HTML keeps the link or lacks the text:\n%s", stored.HTMLBody)
	}
	if names := stored.Attachments(); len(names) != 1 || names[0] != "einladung.ics" {
		t.Errorf("stored attachment names %q, want einladung.ics", names)
	}

	if len(m.Attachments) != 1 {
		t.Fatalf("%d attachments, want the invitation", len(m.Attachments))
	}
	a := m.Attachments[0]
	if a.ContentType != "text/calendar" || a.Params["method"] != "REQUEST" || !strings.EqualFold(a.Params["charset"], "utf-8") || a.Filename != "einladung.ics" {
		t.Errorf("attachment %s %v %q", a.ContentType, a.Params, a.Filename)
	}
	checkCRLF(t, a.Data)
	cal, err := ics.ParseCalendar(bytes.NewReader(a.Data))
	if err != nil {
		t.Fatalf("parse invitation: %v\n%s", err, a.Data)
	}
	if method := calendarProperty(cal, ics.PropertyMethod); method != "REQUEST" {
		t.Errorf("METHOD %q, want REQUEST", method)
	}
	if tz := cal.Timezones(); len(tz) != 1 || tz[0].GetProperty(ics.ComponentPropertyTzid).Value != "Europe/Berlin" {
		t.Errorf("want one VTIMEZONE Europe/Berlin, got %d", len(tz))
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d VEVENTs, want one per attended day (2)", len(events))
	}
	for i, e := range events {
		d := f.days[i]
		if want := fmt.Sprintf("reg-%d-%04d%02d%02d@treffen.example.org", reg.ID, d.Year, d.Month, d.Day); e.Id() != want {
			t.Errorf("UID %q, want %q", e.Id(), want)
		}
		start := e.GetProperty(ics.ComponentPropertyDtStart)
		if tzid := start.ICalParameters["TZID"]; len(tzid) != 1 || tzid[0] != "Europe/Berlin" {
			t.Errorf("DTSTART parameters %v, want TZID=Europe/Berlin", start.ICalParameters)
		}
		at, err := e.GetStartAt()
		if err != nil || !at.Equal(ev.StartOn(d)) {
			t.Errorf("DTSTART %v (%v), want %v", at, err, ev.StartOn(d))
		}
		end, err := e.GetEndAt()
		if err != nil || !end.Equal(ev.EndOn(d)) {
			t.Errorf("DTEND %v (%v), want %v", end, err, ev.EndOn(d))
		}
		for prop, want := range map[ics.ComponentProperty]string{
			ics.ComponentPropertySequence:  "0",
			ics.ComponentPropertyStatus:    "CONFIRMED",
			ics.ComponentPropertyLocation:  "Jugendherberge Köln-Deutz, Siegesstraße 5, Köln",
			ics.ComponentPropertyOrganizer: "mailto:" + testFrom,
		} {
			if p := e.GetProperty(prop); p == nil || p.Value != want {
				t.Errorf("%s = %v, want %q", prop, p, want)
			}
		}
		if s := e.GetProperty(ics.ComponentPropertySummary); s == nil || !strings.HasPrefix(s.Value, "17. Lernnetzwerktreffen") {
			t.Errorf("SUMMARY %v", s)
		}
		if d := e.GetProperty(ics.ComponentPropertyDescription); d == nil || !strings.Contains(d.Value, manage) {
			t.Errorf("DESCRIPTION lacks the manage link: %v", d)
		}
		if at := e.Attendees(); len(at) != 1 || at[0].Email() != reg.Email {
			t.Errorf("attendees %v", at)
		}
	}
}

func TestSMTPDownThenUpDeliversExactlyOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	reg := f.mustRegister(t, ev.ID, guest(1, "Landesjugendamt", f.days))
	addr := freeAddr(t) // nothing listens yet: connections are refused

	sender, err := mail.NewSMTPSender(fmt.Sprintf("smtp://%s:%s@%s?timeout=2s", testUser, "geh%3Aeim%401", addr), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions()
	opts.BaseBackoff, opts.MaxBackoff = 30*time.Millisecond, 60*time.Millisecond
	w1 := f.worker(t, sender, "smtp", opts)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- w1.Run(runCtx) }()
	waitFor(t, "two failed attempts", func() bool {
		m, err := f.outbox.Get(ctx, f.onlyMessage(t, reg.ID).ID)
		return err == nil && m.Attempts >= 2
	})
	stop()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	m := f.onlyMessage(t, reg.ID)
	if m.Status != outbox.Pending || m.Attempts < 2 || m.LastError == "" || m.SentAt != nil {
		t.Fatalf("while the server is down: status %s attempts %d last error %q", m.Status, m.Attempts, m.LastError)
	}
	if _, err := f.regs.Get(ctx, reg.ID); err != nil {
		t.Fatalf("registration lost while mail is down: %v", err)
	}
	if st := w1.Stats(); st.Retried < 2 || st.Sent != 0 || st.Failed != 0 {
		t.Errorf("stats while down: %+v", st)
	}

	srv := startSMTP(t, addr)
	time.Sleep(time.Until(m.NextAttemptAt) + 5*time.Millisecond)
	if n, err := w1.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain after the server came up: %d, %v", n, err)
	}
	if n, err := w1.Drain(ctx); err != nil || n != 0 {
		t.Fatalf("second drain: %d, %v; want nothing to do", n, err)
	}
	w2 := f.worker(t, smtpSender(t, srv, ""), "smtp", opts)
	if n, err := w2.Drain(ctx); err != nil || n != 0 {
		t.Fatalf("second worker: %d, %v; want nothing to do", n, err)
	}
	if got := srv.messages(); len(got) != 1 {
		t.Fatalf("server received %d messages, want exactly 1", len(got))
	}
	m = f.onlyMessage(t, reg.ID)
	if m.Status != outbox.Sent || m.LastError != "" || m.Attempts < 3 {
		t.Errorf("after delivery: status %s attempts %d last error %q", m.Status, m.Attempts, m.LastError)
	}
	if st := w1.Stats(); st.Sent != 1 {
		t.Errorf("stats after delivery: %+v", st)
	}
}

func TestTwoWorkersDeliverEachMailOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const people = 50
	ev := f.mustEvent(t, people)
	for i := range people {
		f.mustRegister(t, ev.ID, guest(i, "Jugendamt", f.days))
	}
	srv := startSMTP(t, "127.0.0.1:0")
	opts := fastOptions()
	opts.Connections = 3
	workers := []*mail.Worker{
		f.worker(t, smtpSender(t, srv, ""), "smtp", opts),
		f.worker(t, smtpSender(t, srv, ""), "smtp", opts),
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := w.Drain(ctx); err != nil {
				t.Errorf("drain: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()

	seen := map[string]int{}
	for _, r := range srv.messages() {
		seen[parseMail(t, r.Data).Header.Get("Message-Id")]++
	}
	if len(seen) != people {
		t.Errorf("%s: %d distinct mails delivered, want %d", storetest.Describe(), len(seen), people)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	// Each goroutine keeps its connection for the mails it sends.
	if c := srv.connections(); c > 2*opts.Connections {
		t.Errorf("%d connections for %d mails, want at most %d", c, people, 2*opts.Connections)
	}
	counts, err := f.outbox.CountByStatus(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts[outbox.Sent] != people || len(counts) != 1 {
		t.Errorf("outbox counts %v, want %d sent", counts, people)
	}
	total := workers[0].Stats().Sent + workers[1].Stats().Sent
	if total != people {
		t.Errorf("workers report %d + %d sent, want %d in all", workers[0].Stats().Sent, workers[1].Stats().Sent, people)
	}
}

func TestUmlautsSurviveTheWire(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ev := f.mustEvent(t, 10)
	muni := f.mustMunicipality(t, "Städteregion Aachen")
	reg := f.mustRegister(t, ev.ID, registration.Input{
		Salutation: "Herr", FirstName: "Jürgen", LastName: "Größe-Äßmann", Email: "j.groesse@kommune.example",
		MunicipalityID: &muni.ID, Days: f.days[:1],
	})
	srv := startSMTP(t, "127.0.0.1:0")
	if _, err := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions()).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("%d messages, want 1", len(got))
	}
	for _, b := range got[0].Data {
		if b >= 0x80 {
			t.Fatalf("raw message has 8-bit bytes; it must be 7-bit clean for any relay")
		}
	}
	m := parseMail(t, got[0].Data)
	if want := "Anmeldebestätigung: 17. Lernnetzwerktreffen am " + f.days.German() + " in Köln"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if m.To.Name != "Jürgen Größe-Äßmann" {
		t.Errorf("To name %q", m.To.Name)
	}
	if !strings.EqualFold(m.TextCharset, "utf-8") {
		t.Errorf("text charset %q", m.TextCharset)
	}
	for _, want := range []string{"Sehr geehrter Herr Größe-Äßmann,", "„Kinderschutz – gemeinsam stärken“", "Städteregion Aachen",
		"Ihre Tage:     " + f.days[0].GermanLong(), "Siegesstraße 5", "Mit freundlichen Grüßen", "Servicestelle Prävention"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.Text)
		}
	}
	for _, want := range []string{"Sehr geehrter Herr Größe-Äßmann,", "Städteregion Aachen", "Grüßen"} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(m.Attachments[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d VEVENTs for a one-day attendance, want 1", len(events))
	}
	if loc := events[0].GetProperty(ics.ComponentPropertyLocation).Value; !strings.Contains(loc, "Köln-Deutz, Siegesstraße 5") {
		t.Errorf("LOCATION %q", loc)
	}
	if a := events[0].Attendees(); len(a) != 1 || a[0].ICalParameters["CN"][0] != "Jürgen Größe-Äßmann" {
		t.Errorf("ATTENDEE %v", a)
	}
	if stored := f.onlyMessage(t, reg.ID); !strings.Contains(stored.TextBody, "Größe-Äßmann") || !strings.Contains(stored.Subject, "Köln") {
		t.Errorf("stored copy lost umlauts: %q", stored.Subject)
	}
}

func TestRunFinishesTheMessageInHandOnShutdown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	reg := f.mustRegister(t, ev.ID, guest(1, "Jugendamt", f.days))
	srv := startSMTP(t, "127.0.0.1:0")
	hold := make(chan struct{})
	srv.mu.Lock()
	srv.hold = hold
	srv.mu.Unlock()
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- w.Run(runCtx) }()
	select {
	case <-srv.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the worker did not start sending")
	}
	stop()
	select {
	case <-done:
		t.Fatal("Run returned with a message in hand")
	case <-time.After(50 * time.Millisecond):
	}
	close(hold)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the message was sent")
	}
	if m := f.onlyMessage(t, reg.ID); m.Status != outbox.Sent {
		t.Errorf("status %s after shutdown, want sent", m.Status)
	}
}

func TestKickWakesTheWorker(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	srv := startSMTP(t, "127.0.0.1:0")
	opts := fastOptions()
	opts.PollInterval = time.Hour
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", opts)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = w.Run(runCtx) }()
	time.Sleep(20 * time.Millisecond) // let it go to sleep on an empty outbox
	f.mustRegister(t, ev.ID, guest(1, "Jugendamt", f.days))
	w.Kick()
	w.Kick() // never blocks
	waitFor(t, "the kicked worker to send", func() bool { return len(srv.messages()) == 1 })
}

func TestFailedAfterMaxAttemptsThenRequeued(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	reg := f.mustRegister(t, ev.ID, guest(1, "Jugendamt", f.days))
	addr := freeAddr(t)
	sender, err := mail.NewSMTPSender("smtp://"+addr+"?timeout=2s", testFrom)
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions()
	opts.MaxAttempts, opts.BaseBackoff, opts.MaxBackoff = 3, time.Millisecond, time.Millisecond
	w := f.worker(t, sender, "smtp", opts)
	for range 10 {
		if _, err := w.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if m := f.onlyMessage(t, reg.ID); m.Status == outbox.Failed {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	m := f.onlyMessage(t, reg.ID)
	if m.Status != outbox.Failed || m.Attempts != 3 || m.LastError == "" {
		t.Fatalf("status %s attempts %d error %q; want failed after 3", m.Status, m.Attempts, m.LastError)
	}
	if st := w.Stats(); st.Failed != 1 || st.Retried != 2 {
		t.Errorf("stats %+v, want 2 retried and 1 failed", st)
	}
	if n, _ := w.Drain(ctx); n != 0 {
		t.Errorf("a failed message was picked up again")
	}

	srv := startSMTP(t, addr)
	if err := f.outbox.Requeue(ctx, m.ID); err != nil {
		t.Fatalf("requeue: %v", err)
	}
	if err := f.outbox.Requeue(ctx, m.ID); err == nil {
		t.Error("requeue of a pending message succeeded")
	}
	okSender := smtpSender(t, srv, "")
	if n, err := f.worker(t, okSender, "smtp", opts).Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain after requeue: %d, %v", n, err)
	}
	if m := f.onlyMessage(t, reg.ID); m.Status != outbox.Sent || m.Attempts != 1 {
		t.Errorf("after requeue: status %s attempts %d", m.Status, m.Attempts)
	}
}

func TestLogSenderKeepsTheMailReadable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 1)
	f.mustRegister(t, ev.ID, guest(1, "Jugendamt", f.days))
	reg := f.mustRegister(t, ev.ID, guest(2, "Jugendamt", f.days))
	var logged bytes.Buffer
	w := f.worker(t, mail.NewLogSender(slog.New(slog.NewTextHandler(&logged, nil))), "log", fastOptions())
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drain: %d, %v", n, err)
	}
	m := f.onlyMessage(t, reg.ID)
	if m.Kind != outbox.Waitlisted || m.Status != outbox.Sent || m.Transport != "log" || !strings.HasPrefix(m.Subject, "Warteliste: ") {
		t.Errorf("logged message: %+v", m)
	}
	for _, want := range []string{"Platz 1", "Warteliste", f.manageLinkIn(t, m.TextBody, reg)} {
		if !strings.Contains(m.TextBody, want) {
			t.Errorf("waiting-list text lacks %q:\n%s", want, m.TextBody)
		}
	}
	if !strings.Contains(logged.String(), reg.Email) || !strings.Contains(logged.String(), "Warteliste") {
		t.Errorf("log lacks recipient or subject: %s", logged.String())
	}
}

func TestCancellationAndPromotionMails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 1)
	first := f.mustRegister(t, ev.ID, guest(1, "Jugendamt", f.days))
	second := f.mustRegister(t, ev.ID, guest(2, "Jugendamt", f.days[1:]))
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drain: %d, %v; want confirmation and waiting list", n, err)
	}
	if _, err := f.regs.Cancel(ctx, first.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drain: %d, %v; want cancellation and promotion", n, err)
	}
	byKind := map[string]parsedMail{}
	for _, r := range srv.messages() {
		m := parseMail(t, r.Data)
		byKind[strings.SplitN(m.Subject, ":", 2)[0]] = m
	}
	cancel, ok := byKind["Stornierung"]
	if !ok {
		t.Fatalf("no cancellation among %v", keys(byKind))
	}
	if len(cancel.Attachments) != 1 || cancel.Attachments[0].Filename != "absage.ics" || cancel.Attachments[0].Params["method"] != "CANCEL" {
		t.Fatalf("cancellation attachment %+v", cancel.Attachments)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(cancel.Attachments[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if method := calendarProperty(cal, ics.PropertyMethod); method != "CANCEL" {
		t.Errorf("METHOD %q", method)
	}
	if len(cal.Events()) != 2 {
		t.Errorf("%d VEVENTs in the cancellation, want both days", len(cal.Events()))
	}
	for _, e := range cal.Events() {
		if e.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" || e.GetProperty(ics.ComponentPropertySequence).Value != "1" {
			t.Errorf("cancelled VEVENT %s lacks STATUS:CANCELLED / SEQUENCE:1", e.Id())
		}
		if !strings.HasPrefix(e.Id(), fmt.Sprintf("reg-%d-", first.ID)) {
			t.Errorf("UID %s", e.Id())
		}
	}
	if !strings.Contains(cancel.Text, "Storniert") {
		t.Errorf("cancellation text:\n%s", cancel.Text)
	}

	waiting := byKind["Warteliste"]
	if len(waiting.Attachments) != 0 || !strings.Contains(waiting.Text, "Platz 1") {
		t.Errorf("waiting-list mail: %d attachments, text:\n%s", len(waiting.Attachments), waiting.Text)
	}
	promo, ok := byKind["Platz frei – Teilnahme bestätigt"]
	if !ok {
		t.Fatalf("no promotion among %v", keys(byKind))
	}
	if len(promo.Attachments) != 1 || promo.Attachments[0].Params["method"] != "REQUEST" {
		t.Fatalf("promotion attachment %+v", promo.Attachments)
	}
	pcal, err := ics.ParseCalendar(bytes.NewReader(promo.Attachments[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	d := f.days[1]
	if e := pcal.Events(); len(e) != 1 || e[0].Id() != fmt.Sprintf("reg-%d-%04d%02d%02d@treffen.example.org", second.ID, d.Year, d.Month, d.Day) {
		t.Errorf("promotion invites to %d events", len(e))
	}
	if !strings.Contains(promo.Text, "Ihre Tage:     "+d.GermanLong()) {
		t.Errorf("promotion text lacks the attended day:\n%s", promo.Text)
	}
}

func TestManageLinkMailGoesToTheParticipantOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 1)
	ahlen := f.mustMunicipality(t, "Stadt Ahlen")
	f.mustUser(t, "koordination@ahlen.example", "Kora Koordinatorin", account.Coordinator, &ahlen.ID)
	confirmed := f.mustRegister(t, ev.ID, person(1, &ahlen.ID, f.days))
	waiting := f.mustRegister(t, ev.ID, person(2, &ahlen.ID, f.days))
	if waiting.Status != registration.Waitlisted {
		t.Fatalf("second registration %s, want waitlisted", waiting.Status)
	}
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if n, err := w.Drain(ctx); err != nil || n != 4 {
		t.Fatalf("drain registration mails and their two copies: %d, %v", n, err)
	}
	f.enqueue(t, outbox.ManageLink, confirmed)
	f.enqueue(t, outbox.ManageLink, waiting)
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drain manage links: %d, %v", n, err)
	}
	got := srv.messages()[4:]
	if len(got) != 2 {
		t.Fatalf("%d manage-link mails, want 2", len(got))
	}
	for i, reg := range []registration.Registration{confirmed, waiting} {
		r := got[i]
		if len(r.To) != 1 || r.To[0] != reg.Email {
			t.Errorf("manage link to %v, want only %s (no copy)", r.To, reg.Email)
		}
		m := parseMail(t, r.Data)
		if want := "Ihr Link zur Anmeldung: 17. Lernnetzwerktreffen"; m.Subject != want {
			t.Errorf("subject %q, want %q", m.Subject, want)
		}
		if len(m.Attachments) != 0 {
			t.Errorf("manage-link mail has %d attachments", len(m.Attachments))
		}
		if m.Header.Get("Bcc") != "" || bytes.Contains(bytes.ToLower(r.Data), []byte("ahlen.example")) {
			t.Errorf("manage-link mail names the coordinator")
		}
		manage := f.manageLinkIn(t, m.Text, reg)
		want := []string{"Sehr geehrte Frau Dr. " + reg.LastName, manage, "17. Lernnetzwerktreffen", "Jugendherberge Köln-Deutz",
			"Stadt Ahlen", reg.Status.Label(), "Falls Sie diesen Link nicht angefordert haben, können Sie diese E-Mail ignorieren."}
		if reg.Status == registration.Waitlisted {
			want = append(want, "Platz 1", "von der Warteliste abmelden")
		}
		for name, body := range map[string]string{"text": oneLine(m.Text), "HTML": oneLine(m.HTML)} {
			for _, s := range want {
				if !strings.Contains(body, s) {
					t.Errorf("%s part of the %s manage link lacks %q:\n%s", name, reg.Status, s, body)
				}
			}
			if strings.Contains(body, "Kopie") {
				t.Errorf("%s part speaks of a copy", name)
			}
		}
		if !strings.Contains(m.HTML, `href="`+manage+`"`) {
			t.Errorf("HTML part has no link to %s", manage)
		}
	}
}

func TestCoordinatorGetsACopyOfItsOwn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	ahlen := f.mustMunicipality(t, "Stadt Ahlen")
	coesfeld := f.mustMunicipality(t, "Stadt Coesfeld")
	f.mustUser(t, "koordination@ahlen.example", "Kora Koordinatorin", account.Coordinator, &ahlen.ID)
	f.mustUser(t, "jugendamt@coesfeld.example", "Conny Coesfeld", account.Coordinator, &coesfeld.ID)
	f.mustUser(t, "orga@isa.example", "Olga Organisation", account.Organiser, &ahlen.ID) // not a coordinator
	reg := f.mustRegister(t, ev.ID, person(1, &ahlen.ID, f.days))
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drain: %d, %v; want the confirmation and one copy", n, err)
	}
	got := srv.messages()
	if len(got) != 2 {
		t.Fatalf("server received %d messages, want 2", len(got))
	}
	original, copied := got[0], got[1]
	if strings.Join(original.To, " ") != reg.Email {
		t.Errorf("original RCPT TO %v, want the participant only", original.To)
	}
	m := parseMail(t, original.Data)
	if m.Header.Get("Bcc") != "" || strings.Contains(strings.ToLower(string(original.Data)), "koordination@ahlen.example") {
		t.Errorf("the participant's mail names the coordinator:\n%s", original.Data)
	}
	if !strings.Contains(oneLine(m.Text), "Eine Kopie dieser E-Mail erhält die kommunale Koordination Ihrer Kommune.") {
		t.Errorf("the mail does not say that the coordination gets a copy:\n%s", m.Text)
	}
	if len(m.Attachments) != 1 {
		t.Errorf("%d attachments, want the invitation", len(m.Attachments))
	}
	if strings.Join(copied.To, " ") != "koordination@ahlen.example" {
		t.Errorf("copy RCPT TO %v", copied.To)
	}
	c := parseMail(t, copied.Data)
	if !strings.HasPrefix(c.Subject, "Kopie: Anmeldebestätigung") || len(c.Attachments) != 0 ||
		!strings.Contains(oneLine(c.Text), "diese E-Mail ging an") || !strings.Contains(c.Text, reg.Email) ||
		!strings.Contains(c.HTML, "diese E-Mail ging an") {
		t.Errorf("copy: subject %q, %d attachments, text:\n%s", c.Subject, len(c.Attachments), c.Text)
	}
	if c.Header.Get("Message-Id") == m.Header.Get("Message-Id") {
		t.Error("copy reuses the original's Message-ID")
	}

	// A coordinator registering herself gets her mail once; a guest's
	// mail and a Coesfeld registration's mail reach no one in Ahlen.
	f.mustRegister(t, ev.ID, registration.Input{Salutation: "Frau", FirstName: "Kora", LastName: "Koordinatorin",
		Email: "Koordination@Ahlen.example", MunicipalityID: &ahlen.ID, Days: f.days})
	f.mustRegister(t, ev.ID, guest(3, "Landesjugendamt", f.days))
	other := f.mustRegister(t, ev.ID, person(4, &coesfeld.ID, f.days))
	if n, err := w.Drain(ctx); err != nil || n != 4 {
		t.Fatalf("drain: %d, %v; want three mails and one copy to Coesfeld", n, err)
	}
	rcpts := map[string]int{}
	for _, r := range srv.messages()[2:] {
		if len(r.To) != 1 {
			t.Errorf("RCPT TO %v, want one recipient per message", r.To)
		}
		rcpts[strings.ToLower(r.To[0])]++
	}
	if rcpts["koordination@ahlen.example"] != 1 || rcpts["jugendamt@coesfeld.example"] != 1 || rcpts[other.Email] != 1 {
		t.Errorf("recipients %v", rcpts)
	}
}

func TestRefusedCopyDoesNotHoldUpTheParticipant(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	ahlen := f.mustMunicipality(t, "Stadt Ahlen")
	f.mustUser(t, "koordination@ahlen.example", "Kora Koordinatorin", account.Coordinator, &ahlen.ID)
	f.mustUser(t, "verzogen@ahlen.example", "Vera Verzogen", account.Coordinator, &ahlen.ID)
	reg := f.mustRegister(t, ev.ID, person(1, &ahlen.ID, f.days))
	srv := startSMTP(t, "127.0.0.1:0")
	srv.refuse = map[string]bool{"verzogen@ahlen.example": true}
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := f.outbox.List(ctx, outbox.Filter{RegistrationID: reg.ID})
	if err != nil {
		t.Fatal(err)
	}
	state := map[string]outbox.Status{}
	for _, m := range all {
		state[m.Recipient] = m.Status
		if m.CopyOf != nil && !strings.HasPrefix(m.Subject, "Kopie: ") && m.Status == outbox.Sent {
			t.Errorf("copy subject %q", m.Subject)
		}
	}
	if state[reg.Email] != outbox.Sent || state["koordination@ahlen.example"] != outbox.Sent {
		t.Fatalf("participant and reachable coordinator: %v", state)
	}
	if s := state["verzogen@ahlen.example"]; s != outbox.Pending && s != outbox.Failed {
		t.Fatalf("refused copy: %q, want retried or failed on its own", s)
	}
	delivered := map[string]bool{}
	for _, r := range srv.messages() {
		for _, to := range r.To {
			delivered[to] = true
		}
	}
	if !delivered[reg.Email] || !delivered["koordination@ahlen.example"] || delivered["verzogen@ahlen.example"] {
		t.Fatalf("delivered to %v", delivered)
	}
}
