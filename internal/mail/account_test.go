package mail_test

import (
	"context"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/outbox"
)

// queueAccountMail composes an account mail, queues it as the account
// code does and returns the stored row.
func (f *fixture) queueAccountMail(t *testing.T, kind outbox.Kind, user account.User, link, role string, expires time.Time) outbox.Message {
	t.Helper()
	to := netmail.Address{Name: user.Name, Address: user.Email}
	subject, text, html, err := f.composer.ComposeAccount(kind, to, link, role, expires)
	if err != nil {
		t.Fatalf("compose %s: %v", kind, err)
	}
	err = f.db.Gorm.Transaction(func(tx *gorm.DB) error {
		return outbox.EnqueueRendered(tx, outbox.Rendered{Kind: kind, UserID: user.ID, Recipient: to.String(),
			Subject: subject, TextBody: text, HTMLBody: html}, time.Now())
	})
	if err != nil {
		t.Fatalf("enqueue %s: %v", kind, err)
	}
	list, err := f.outbox.List(context.Background(), outbox.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.Kind == kind && m.UserID != nil && *m.UserID == user.ID && m.Status == outbox.Pending {
			return m
		}
	}
	t.Fatalf("queued %s mail not found", kind)
	return outbox.Message{}
}

func TestAccountMailsAreSentAsStored(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ahlen := f.mustMunicipality(t, "Stadt Ahlen")
	user := f.mustUser(t, "j.groesse@ahlen.example", "Jürgen Größe-Äßmann", account.Coordinator, &ahlen.ID)
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())

	for _, c := range []struct {
		kind    outbox.Kind
		link    string
		role    string
		expires time.Time
		subject string
		want    []string
	}{
		{
			kind: outbox.Invitation, link: testBaseURL + "/konto/einladung/Zq3_x-9AbC", role: account.Coordinator.Label(),
			expires: time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC), // CEST
			subject: "Einladung: Ihr Zugang zur Anmeldeverwaltung der Lernnetzwerktreffen",
			want: []string{"Guten Tag Jürgen Größe-Äßmann,", "Kommunale Koordination", "01.07.2026 um 12:00 Uhr",
				"nur einmal verwendet", "Als kommunale Koordination", testBaseURL + "/login", "j.groesse@ahlen.example"},
		},
		{
			kind: outbox.PasswordReset, link: testBaseURL + "/konto/passwort/Yy8-Q_7pLm",
			expires: time.Date(2026, 1, 15, 23, 30, 0, 0, time.UTC), // CET, the next day in Berlin
			subject: "Passwort zurücksetzen",
			want: []string{"Guten Tag Jürgen Größe-Äßmann,", "16.01.2026 um 00:30 Uhr", "nur einmal verwendet",
				"Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert."},
		},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			queued := f.queueAccountMail(t, c.kind, user, c.link, c.role, c.expires)
			before := len(srv.messages())
			if n, err := w.Drain(ctx); err != nil || n != 1 {
				t.Fatalf("drain: %d, %v", n, err)
			}
			got := srv.messages()
			if len(got) != before+1 {
				t.Fatalf("server has %d messages, want %d", len(got), before+1)
			}
			r := got[len(got)-1]
			if len(r.To) != 1 || r.To[0] != user.Email {
				t.Errorf("RCPT TO %v, want only %s", r.To, user.Email)
			}
			for _, b := range r.Data {
				if b >= 0x80 {
					t.Fatal("raw message has 8-bit bytes")
				}
			}
			m := parseMail(t, r.Data)
			if m.Subject != c.subject || queued.Subject != c.subject {
				t.Errorf("subject %q (stored %q), want %q", m.Subject, queued.Subject, c.subject)
			}
			if m.To.Name != user.Name || m.To.Address != user.Email {
				t.Errorf("To %+v", m.To)
			}
			if lf(m.Text) != queued.TextBody || lf(m.HTML) != lf(queued.HTMLBody) {
				t.Errorf("delivered bodies differ from the stored ones:\n%s\n---\n%s", m.Text, queued.TextBody)
			}
			if len(m.Attachments) != 0 {
				t.Errorf("%d attachments", len(m.Attachments))
			}
			if !strings.Contains(lf(m.Text), "\n"+c.link+"\n") || !strings.Contains(m.HTML, `href="`+c.link+`"`) {
				t.Errorf("link %s missing:\n%s\n%s", c.link, m.Text, m.HTML)
			}
			for _, want := range c.want {
				if !strings.Contains(oneLine(m.Text), want) || !strings.Contains(oneLine(m.HTML), want) {
					t.Errorf("text or HTML lacks %q:\n%s\n%s", want, m.Text, m.HTML)
				}
			}
			if strings.Contains(m.Text, "Datenschutz") || strings.Contains(m.Text, "Anmeldung ändern") {
				t.Errorf("account mail speaks of a registration:\n%s", m.Text)
			}
			stored, err := f.outbox.Get(ctx, queued.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Status != outbox.Sent || stored.Subject != c.subject || stored.TextBody != queued.TextBody ||
				stored.MessageID != m.Header.Get("Message-Id") {
				t.Errorf("outbox row after sending: %+v", stored)
			}
		})
	}
}

func TestComposeAccountRefusesWhatItCannotSend(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	to := netmail.Address{Address: "a@b.example"}
	exp := time.Now().Add(time.Hour)
	for name, call := range map[string]func() error{
		"registration kind": func() error {
			_, _, _, err := f.composer.ComposeAccount(outbox.Confirmation, to, "https://x.example/l", "", exp)
			return err
		},
		"no link": func() error {
			_, _, _, err := f.composer.ComposeAccount(outbox.Invitation, to, " ", "", exp)
			return err
		},
		"no recipient": func() error {
			_, _, _, err := f.composer.ComposeAccount(outbox.PasswordReset, netmail.Address{}, "https://x.example/l", "", exp)
			return err
		},
		"no expiry": func() error {
			_, _, _, err := f.composer.ComposeAccount(outbox.PasswordReset, to, "https://x.example/l", "", time.Time{})
			return err
		},
	} {
		if call() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	subject, text, _, err := f.composer.ComposeAccount(outbox.Invitation, to, "https://x.example/l", "", exp)
	if err != nil || !strings.HasPrefix(subject, "Einladung") || !strings.HasPrefix(text, "Guten Tag,\n") || strings.Contains(text, "Rolle") {
		t.Errorf("invitation without name and role: %q %v\n%s", subject, err, text)
	}
}

// lf turns CRLF line ends into LF.
func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// oneLine joins wrapped text: every run of white space becomes a blank.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
