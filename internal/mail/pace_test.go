package mail_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/smtptest"
)

// queueReady queues n account mails, which are written when queued, so
// sending them costs little more than the SMTP conversation.
func (f *fixture) queueReady(t *testing.T, u account.User, n int) {
	t.Helper()
	err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
		for i := range n {
			if err := outbox.EnqueueRendered(tx, outbox.Rendered{Kind: outbox.PasswordReset, UserID: u.ID, Recipient: u.Email,
				Subject: fmt.Sprintf("Passwort zurücksetzen %d", i), TextBody: "Guten Tag,\n\nbitte setzen Sie Ihr Passwort neu."}, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRateSpacesTheMails sends 20 mails through a real SMTP server at 10
// a second over 4 connections: the connections share the rate, so the
// 20 take at least ~1.9 s; without a limit the same mails go out faster.
// A cancelled drain stops waiting for its turn.
func TestRateSpacesTheMails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	u := f.mustUser(t, "erika@kommune.example", "Erika Müller", account.Organiser, nil)
	box := smtptest.Start(t)
	sender, err := mail.NewSMTPSender("smtp://"+box.Addr+"?timeout=5s", testFrom)
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions()
	opts.Connections, opts.Rate = 4, 10

	f.queueReady(t, u, 20)
	start := time.Now()
	if n, err := f.worker(t, sender, "smtp", opts).Drain(ctx); err != nil || n != 20 {
		t.Fatalf("paced drain: %d, %v", n, err)
	}
	paced := time.Since(start)
	if paced < 1800*time.Millisecond {
		t.Errorf("20 mails at 10 a second took %s, want at least 1.9 s", paced)
	}
	if got := len(box.All()); got != 20 {
		t.Fatalf("server received %d mails, want 20", got)
	}
	f.queueReady(t, u, 20)
	opts.Rate = 0
	start = time.Now()
	if n, err := f.worker(t, sender, "smtp", opts).Drain(ctx); err != nil || n != 20 {
		t.Fatalf("unlimited drain: %d, %v", n, err)
	}
	// How much faster depends on the machine (the race detector makes
	// the database the bottleneck); faster it must be.
	if free := time.Since(start); free >= paced {
		t.Errorf("without a limit 20 mails took %s, at 10 a second %s: want the limit to be what slows", free, paced)
	}

	f.queueReady(t, u, 20)
	opts.Rate = 1
	cut, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start = time.Now()
	n, err := f.worker(t, sender, "smtp", opts).Drain(cut)
	if waited := time.Since(start); err != nil || n != 1 || waited > 2*time.Second {
		t.Errorf("cancelled drain at 1 a second: %d mails in %s (%v), want 1 and a prompt return", n, waited, err)
	}
}
