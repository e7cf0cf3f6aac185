package mail_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

var (
	registerLinkPattern    = regexp.MustCompile(regexp.QuoteMeta(testBaseURL) + `/events/(\d+)/register\?kommune=(\d+)`)
	unsubscribeLinkPattern = regexp.MustCompile(regexp.QuoteMeta(testBaseURL) + `/abmelden/([A-Za-z0-9_-]{40,})`)
)

// An invitation to 40 municipalities with 3 contacts each delivers 120
// mails over SMTP, each with the contact's municipality chosen in the
// registration link and a one-click unsubscribe header; sending again
// queues none.
func TestInvitationToTheWholeNetwork(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	contacts := contact.NewStore(f.db.Gorm)
	ev := f.mustEvent(t, 80)
	muniOf := map[string]int64{} // address → municipality
	for i := range 40 {
		m := f.mustMunicipality(t, fmt.Sprintf("Stadt Musterstadt %02d", i))
		for j, fn := range []string{"Koordination", "Jugendamt", "Gesundheitsamt"} {
			c, err := contacts.Create(ctx, contact.Input{MunicipalityID: m.ID, Name: fmt.Sprintf("Person %d-%d", i, j),
				Email: fmt.Sprintf("p%d.%d@musterstadt%02d.example", i, j, i), Function: fn})
			if err != nil {
				t.Fatal(err)
			}
			muniOf[c.Email] = m.ID
		}
	}
	res, err := contacts.Send(ctx, ev, outbox.EventInvitation, nil)
	if err != nil || res.Queued != 120 || res.Skipped != 0 {
		t.Fatalf("send: %+v %v", res, err)
	}
	srv := startSMTP(t, "127.0.0.1:0")
	opts := fastOptions()
	opts.Connections = 4
	w := f.worker(t, smtpSender(t, srv, "starttls=never"), "smtp", opts)
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 120 {
		t.Fatalf("%d mails delivered, want 120", len(msgs))
	}
	seen := map[string]bool{}
	for _, raw := range msgs {
		p := parseMail(t, raw.Data)
		to := p.To.Address
		if seen[to] {
			t.Errorf("%s got two invitations", to)
		}
		seen[to] = true
		if !strings.HasPrefix(p.Subject, "Einladung zum 17. Lernnetzwerktreffen am ") {
			t.Errorf("subject %q", p.Subject)
		}
		for _, body := range []string{p.Text, p.HTML} {
			m := registerLinkPattern.FindStringSubmatch(body)
			if m == nil || m[1] != fmt.Sprint(ev.ID) || m[2] != fmt.Sprint(muniOf[to]) {
				t.Fatalf("mail to %s (municipality %d) links %v", to, muniOf[to], m)
			}
		}
		mustHave(t, p.Text, "Kinderschutz – gemeinsam stärken", "Jugendherberge Köln-Deutz", "10:00", "Keine Einladungen mehr erhalten")
		link := unsubscribeLinkPattern.FindString(p.Text)
		if link == "" || p.Header.Get("List-Unsubscribe") != "<"+link+">" {
			t.Errorf("List-Unsubscribe %q, link in text %q", p.Header.Get("List-Unsubscribe"), link)
		}
		if got := p.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", got)
		}
	}
	// The mail log keeps the text without the unsubscribe secret.
	list, err := f.outbox.List(ctx, outbox.Filter{EventID: ev.ID, Limit: 1})
	if err != nil || len(list) != 1 || unsubscribeLinkPattern.MatchString(list[0].TextBody) || !strings.Contains(list[0].TextBody, "/abmelden/[Link entfernt]") {
		t.Fatalf("record keeps the link: %v %+v", err, list)
	}
	again, err := contacts.Send(ctx, ev, outbox.EventInvitation, nil)
	if err != nil || again.Queued != 0 || again.Skipped != 120 {
		t.Fatalf("sending again: %+v %v", again, err)
	}
	if n, _ := w.Drain(ctx); n != 0 || len(srv.messages()) != 120 {
		t.Fatalf("sending again delivered %d more", len(srv.messages())-120)
	}
}

// A contact who unsubscribes after the invitation was queued gets
// nothing; the follow-up goes only to municipalities without a
// registration, once.
func TestFollowUpAndUnsubscribedContacts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	contacts := contact.NewStore(f.db.Gorm)
	ev := f.mustEvent(t, 80)
	ahlen, coesfeld := f.mustMunicipality(t, "Stadt Ahlen"), f.mustMunicipality(t, "Kreis Coesfeld")
	_, _ = contacts.Create(ctx, contact.Input{MunicipalityID: ahlen.ID, Name: "Anna Ahlen", Email: "anna@ahlen.example"})
	c1, _ := contacts.Create(ctx, contact.Input{MunicipalityID: coesfeld.ID, Name: "Carl Coesfeld", Email: "carl@coesfeld.example"})
	c2, _ := contacts.Create(ctx, contact.Input{MunicipalityID: coesfeld.ID, Name: "Cora Coesfeld", Email: "cora@coesfeld.example"})
	if res, err := contacts.Send(ctx, ev, outbox.EventInvitation, nil); err != nil || res.Queued != 3 {
		t.Fatalf("invite: %+v %v", res, err)
	}
	// Cora unsubscribes through a link of hers before the worker runs.
	token, err := contacts.IssueLink(ctx, c2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := contacts.Unsubscribe(ctx, token); err != nil {
		t.Fatal(err)
	}
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, "starttls=never"), "smtp", fastOptions())
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := recipients(srv); got != "anna@ahlen.example carl@coesfeld.example" {
		t.Fatalf("invitations went to %s", got)
	}
	// Somebody of Ahlen registers: the follow-up goes to Coesfeld only,
	// and not to Cora.
	f.mustRegister(t, ev.ID, registration.Input{FirstName: "Rita", LastName: "Registriert", Email: "rita@ahlen.example", MunicipalityID: &ahlen.ID})
	res, err := contacts.Send(ctx, ev, outbox.FollowUp, nil)
	if err != nil || res.Queued != 1 || res.Registered != 1 || res.Unsubscribed != 1 {
		t.Fatalf("follow-up: %+v %v", res, err)
	}
	if res, _ := contacts.Send(ctx, ev, outbox.FollowUp, nil); res.Queued != 0 || res.Skipped != 1 {
		t.Fatalf("second follow-up: %+v", res)
	}
	before := len(srv.messages())
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	var msgs []received
	for _, m := range srv.messages()[before:] {
		if m.To[0] != "rita@ahlen.example" { // her confirmation
			msgs = append(msgs, m)
		}
	}
	if len(msgs) != 1 {
		t.Fatalf("%d follow-ups delivered, want 1", len(msgs))
	}
	p := parseMail(t, msgs[0].Data)
	if p.To.Address != c1.Email || !strings.HasPrefix(p.Subject, "Erinnerung an die Anmeldung: ") || !strings.Contains(p.Text, fmt.Sprintf("kommune=%d", coesfeld.ID)) {
		t.Fatalf("follow-up to %s: %q\n%s", p.To.Address, p.Subject, p.Text)
	}
	// The queued invitation of the unsubscribed contact is ended, not retried.
	failed, _ := f.outbox.List(ctx, outbox.Filter{EventID: ev.ID, Status: outbox.Failed})
	if len(failed) != 1 || *failed[0].ContactID != c2.ID || !strings.Contains(failed[0].LastError, "abgemeldet") {
		t.Fatalf("failed: %+v", failed)
	}
}

func recipients(s *smtpServer) string {
	var out []string
	for _, m := range s.messages() {
		out = append(out, m.To...)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func mustHave(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("mail lacks %q:\n%s", w, text)
		}
	}
}
