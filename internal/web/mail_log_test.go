package web_test

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/templates"
)

// logWorker delivers the env's outbox to the log only, as the service
// does without a mail server.
func (e *env) logWorker() *mail.Worker {
	e.t.Helper()
	composer, err := mail.NewComposer(templates.FS, "http://treffen.test", "anmeldung@isa.example", "Institut für Soziale Arbeit e.V.")
	if err != nil {
		e.t.Fatal(err)
	}
	return mail.NewWorker(e.outbox, envLoader{e}, composer, mail.NewLogSender(slog.New(slog.DiscardHandler)), outbox.TransportLog, nil,
		mail.WorkerOptions{PollInterval: 20 * time.Millisecond, Lease: time.Minute})
}

// confirmedMail registers a person for a new meeting, delivers the
// confirmation with w and returns it.
func (e *env) confirmedMail(w *mail.Worker) outbox.Message {
	e.t.Helper()
	ctx := context.Background()
	ev := e.event(10, 0, 1)
	reg, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Erika", LastName: "Müller", Email: "erika@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		e.t.Fatalf("drain: %d, %v", n, err)
	}
	list, err := e.outbox.List(ctx, outbox.Filter{RegistrationID: reg.ID})
	if err != nil || len(list) != 1 || list[0].Status != outbox.Sent {
		e.t.Fatalf("mails of the registration: %+v, %v", list, err)
	}
	return list[0]
}

// TestMailLogWithoutMailServer: mails only logged say plainly that they
// reached nobody; the log shows purpose, meeting, attachment names, the
// text and, framed in a sandbox, the HTML part; pruned bodies say when.
func TestMailLogWithoutMailServer(t *testing.T) {
	e := newEnv(t)
	m := e.confirmedMail(e.logWorker())
	org := e.loggedIn()
	list := e.get(org, "/admin/mails")
	mustContain(t, list.Body, "Kein Mailserver eingerichtet:", "<code>smtp_url</code>", "<code>TREFFEN_SMTP_URL</code>",
		"Anmeldebestätigung", fmt.Sprintf(`<a href="/admin/events/%d/registrations">17. Lernnetzwerktreffen</a>`, *m.EventID),
		"Anhänge: einladung.ics", `<span class="badge logged">nicht zugestellt – kein Mailserver eingerichtet</span>`, "erika@ahlen.example")
	if strings.Contains(list.Body, "über log") || strings.Contains(list.Body, `<span class="badge sent">Versendet</span>`) {
		t.Error("a logged mail reads as sent")
	}

	detail := e.get(org, fmt.Sprintf("/admin/mails?show=%d", m.ID))
	mustContain(t, detail.Body, "<dt>Zweck</dt><dd>Anmeldebestätigung</dd>", "<dd>einladung.ics</dd>", "Textfassung", "vielen Dank für Ihre Anmeldung",
		fmt.Sprintf(`<iframe class="mail-html" sandbox src="/admin/mails/%d/html"`, m.ID), "nicht zugestellt – kein Mailserver eingerichtet</span> · protokolliert")
	// The page itself may not be framed; it may frame its own origin.
	if got := detail.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("page X-Frame-Options %q", got)
	}

	part := e.get(org, fmt.Sprintf("/admin/mails/%d/html", m.ID))
	if part.StatusCode != http.StatusOK || !strings.HasPrefix(part.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(part.Body, "vielen Dank für Ihre Anmeldung") || !strings.Contains(part.Body, "<html") {
		t.Fatalf("HTML part: %d %s\n%.300s", part.StatusCode, part.Header.Get("Content-Type"), part.Body)
	}
	csp := part.Header.Get("Content-Security-Policy")
	for _, want := range []string{"sandbox", "default-src 'none'", "img-src data:", "style-src 'unsafe-inline'", "frame-ancestors 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("HTML part CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") || part.Header.Get("X-Frame-Options") != "SAMEORIGIN" || part.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("HTML part headers: %v", part.Header)
	}
	if r := e.get(e.client(), fmt.Sprintf("/admin/mails/%d/html", m.ID)); r.StatusCode != http.StatusSeeOther || strings.Contains(r.Body, "vielen Dank") {
		t.Errorf("HTML part without login: %d", r.StatusCode)
	}
	if r := e.get(org, "/admin/mails/999999/html"); r.StatusCode != http.StatusNotFound {
		t.Errorf("HTML part of no mail: %d", r.StatusCode)
	}

	// Bodies pruned after mail_keep_bodies: the log says so.
	if n, err := e.outbox.PruneBodies(context.Background(), time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("prune: %d, %v", n, err)
	}
	detail = e.get(org, fmt.Sprintf("/admin/mails?show=%d", m.ID))
	mustContain(t, detail.Body, "Inhalt nach 90 Tagen gelöscht", "<dd>einladung.ics</dd>")
	if strings.Contains(detail.Body, "<iframe") || strings.Contains(detail.Body, "vielen Dank") {
		t.Error("pruned mail still shows a body")
	}
	mustContain(t, e.get(org, fmt.Sprintf("/admin/mails/%d/html", m.ID)).Body, "Inhalt nach 90 Tagen gelöscht")
}

// TestMailLogWithMailServer: mails that went to the mail server read as
// sent, and the hint about the missing server is gone.
func TestMailLogWithMailServer(t *testing.T) {
	mb := startMailbox(t)
	e := newEnv(t, func(c *config.Config) { c.SMTPURL = "smtp://" + mb.addr })
	m := e.confirmedMail(e.mailWorker(mb))
	org := e.loggedIn()
	list := e.get(org, "/admin/mails")
	mustContain(t, list.Body, `<span class="badge sent">Versendet</span>`, "Anhänge: einladung.ics")
	if strings.Contains(list.Body, "nicht zugestellt") || strings.Contains(list.Body, "Kein Mailserver eingerichtet") {
		t.Error("mails sent over SMTP called undelivered")
	}
	detail := e.get(org, fmt.Sprintf("/admin/mails?show=%d", m.ID))
	mustContain(t, detail.Body, "über den Mailserver", "[Link entfernt]")
}

var (
	mailRowLink = regexp.MustCompile(`Ansehen<span class="visually-hidden"> [^<]* an (p\d+@kommune\.example)</span>`)
	olderLink   = regexp.MustCompile(`<a class="older" href="([^"]+)"`)
	newerLink   = regexp.MustCompile(`<a class="newer" href="([^"]+)"`)
)

// TestMailLogPagesAndFilters: 120 mails are shown 50 a page, newest
// first, older and back newer without gaps or repeats, and the filters
// by purpose and status narrow the pages.
func TestMailLogPagesAndFilters(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 1)
	now := time.Now().UTC()
	var rows []outbox.Message
	for i := range 120 {
		m := outbox.Message{Kind: outbox.EventInvitation, EventID: &ev.ID, Recipient: fmt.Sprintf("p%03d@kommune.example", i),
			Status: outbox.Sent, Transport: outbox.TransportSMTP, NextAttemptAt: now, CreatedAt: now, SentAt: &now, Subject: "Einladung"}
		if i%10 == 0 {
			m.Kind, m.Status, m.Transport, m.SentAt = outbox.FollowUp, outbox.Failed, "", nil
		}
		rows = append(rows, m)
	}
	if err := e.db.Gorm.Create(&rows).Error; err != nil {
		t.Fatal(err)
	}
	org := e.loggedIn()
	recipients := func(body string) []string {
		var out []string
		for _, m := range mailRowLink.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	link := func(re *regexp.Regexp, body string) string {
		if m := re.FindStringSubmatch(body); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}
	var seen []string
	path := "/admin/mails"
	var pages []string
	for path != "" {
		body := e.get(org, path).Body
		pages = append(pages, path)
		seen = append(seen, recipients(body)...)
		path = link(olderLink, body)
		if len(pages) > 5 {
			t.Fatal("the older links never end")
		}
	}
	if len(pages) != 3 || len(seen) != 120 || seen[0] != "p119@kommune.example" || seen[50] != "p069@kommune.example" || seen[119] != "p000@kommune.example" {
		t.Fatalf("%d pages, %d mails, first %v", len(pages), len(seen), seen[:3])
	}
	last := e.get(org, pages[2]).Body
	if link(olderLink, last) != "" {
		t.Error("the oldest page links older mails")
	}
	back := e.get(org, link(newerLink, last)).Body
	if got := recipients(back); len(got) != 50 || got[0] != "p069@kommune.example" || got[49] != "p020@kommune.example" {
		t.Errorf("newer from the oldest page: %d mails from %v", len(got), got[:1])
	}
	if first := e.get(org, "/admin/mails").Body; link(newerLink, first) != "" || !strings.Contains(first, "Die neuesten 50 E-Mails") {
		t.Error("the newest page links newer mails or lacks its caption")
	}

	failed := e.get(org, "/admin/mails?kind=follow_up&status=failed").Body
	if got := recipients(failed); len(got) != 12 || got[0] != "p110@kommune.example" || link(olderLink, failed) != "" {
		t.Errorf("failed follow-ups: %v", got)
	}
	mustContain(t, failed, `<option value="follow_up" selected>Erinnerung an die Anmeldung</option>`, `<option value="failed" selected>Fehlgeschlagen</option>`)
	if got := recipients(e.get(org, fmt.Sprintf("/admin/mails?event=%d&kind=event_invitation", ev.ID+1)).Body); len(got) != 0 {
		t.Errorf("mails of another meeting: %v", got)
	}
	// The filter stays when paging.
	invites := e.get(org, "/admin/mails?kind=event_invitation").Body
	if older := link(olderLink, invites); !strings.Contains(older, "kind=event_invitation") {
		t.Errorf("older link %q drops the filter", older)
	}
}
