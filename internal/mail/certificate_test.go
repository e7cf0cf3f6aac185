package mail_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/outbox"
)

// pdfText extracts the text of a PDF with pdftotext; ok is false when
// pdftotext is not installed.
func pdfText(t *testing.T, pdf []byte) (text string, ok bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", false
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out), true
}

func TestCertificateMailCarriesThePDFAndIsNotCopied(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10)
	ahlen := f.mustMunicipality(t, "Stadt Ahlen")
	f.mustUser(t, "koordination@ahlen.example", "Kora Koordinatorin", account.Coordinator, &ahlen.ID)
	reg := f.mustRegister(t, ev.ID, person(1, &ahlen.ID, f.days))
	srv := startSMTP(t, "127.0.0.1:0")
	w := f.worker(t, smtpSender(t, srv, ""), "smtp", fastOptions())
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drain the confirmation and its copy: %d, %v", n, err)
	}
	if _, err := f.checkins.Record(ctx, ev, reg, f.days[1], nil); err != nil {
		t.Fatalf("check in: %v", err)
	}
	f.enqueue(t, outbox.Certificate, reg)
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain the certificate: %d, %v; want one mail and no copy", n, err)
	}
	got := srv.messages()[2:]
	if len(got) != 1 {
		t.Fatalf("server received %d more messages, want the certificate only", len(got))
	}
	if strings.Join(got[0].To, " ") != reg.Email {
		t.Errorf("RCPT TO %v, want the participant only", got[0].To)
	}
	m := parseMail(t, got[0].Data)
	if want := "Ihre Teilnahmebescheinigung: " + ev.Name(); m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if strings.Contains(strings.ToLower(string(got[0].Data)), "koordination@ahlen.example") ||
		strings.Contains(oneLine(m.Text), "Eine Kopie dieser E-Mail") {
		t.Errorf("the certificate mail names or promises a copy:\n%s", m.Text)
	}
	for _, want := range []string{reg.Greeting(), "Teilnahmebescheinigung", "im Anhang", f.days[1].GermanLong(), f.manageLinkIn(t, m.Text, reg)} {
		if !strings.Contains(oneLine(m.Text), want) {
			t.Errorf("text lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, "Teilnahmebescheinigung") || !strings.Contains(m.HTML, "im Anhang") {
		t.Errorf("HTML lacks the note:\n%s", m.HTML)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("%d attachments, want the certificate", len(m.Attachments))
	}
	a := m.Attachments[0]
	if a.Filename != "teilnahmebescheinigung.pdf" || a.ContentType != "application/pdf" || !strings.HasPrefix(string(a.Data), "%PDF-") {
		t.Fatalf("attachment %q %s %.20q", a.Filename, a.ContentType, a.Data)
	}
	if text, ok := pdfText(t, a.Data); !ok {
		t.Log("pdftotext is not installed: the certificate's text is not checked")
	} else {
		flat := oneLine(text)
		for _, want := range []string{"Teilnahmebescheinigung", reg.FirstName, reg.LastName, "Stadt Ahlen"} {
			if !strings.Contains(flat, want) {
				t.Errorf("certificate lacks %q:\n%s", want, text)
			}
		}
	}
	msg := f.messageOfKind(t, reg.ID, outbox.Certificate)
	if msg.Status != outbox.Sent || msg.Subject != m.Subject {
		t.Errorf("outbox row: status %s subject %q", msg.Status, msg.Subject)
	}
	list, err := f.outbox.List(ctx, outbox.Filter{RegistrationID: reg.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if x.CopyOf != nil && *x.CopyOf == msg.ID {
			t.Errorf("coordinator copy %d of the certificate to %s", x.ID, x.Recipient)
		}
	}
}

func TestCertificateMailWithoutCheckInFails(t *testing.T) {
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
	f.enqueue(t, outbox.Certificate, reg)
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain: %d, %v", n, err)
	}
	if got := srv.messages(); len(got) != 1 {
		t.Fatalf("server received %d messages, want only the confirmation", len(got))
	}
	m := f.messageOfKind(t, reg.ID, outbox.Certificate)
	const reason = "Nicht gesendet: Die Person wurde bei der Veranstaltung nicht eingecheckt"
	if m.Status != outbox.Failed || m.Attempts != 1 || !strings.HasPrefix(m.LastError, reason) {
		t.Errorf("status %s attempts %d error %q; want failed at once with %q", m.Status, m.Attempts, m.LastError, reason)
	}
	if st := w.Stats(); st.Failed != 1 || st.Retried != 0 {
		t.Errorf("stats %+v", st)
	}
}
