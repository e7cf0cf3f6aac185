package mail_test

import (
	"context"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/smtptest"
)

// TestRateSpacesTheMails sends 20 mails through a real SMTP server at 10
// a second over 4 connections: the connections share the rate, so it
// takes at least ~1.9 s, while without a limit the same mails go out
// many times faster. A cancelled drain stops waiting for its turn.
func TestRateSpacesTheMails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 100)
	muni := f.mustMunicipality(t, "Stadt Köln")
	for i := range 20 {
		f.mustRegister(t, ev.ID, person(i, &muni.ID, f.days))
	}
	box := smtptest.Start(t)
	sender, err := mail.NewSMTPSender("smtp://"+box.Addr+"?timeout=5s", testFrom)
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions()
	opts.Connections, opts.Rate = 4, 10
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

	for i := 20; i < 40; i++ {
		f.mustRegister(t, ev.ID, person(i, &muni.ID, f.days))
	}
	opts.Rate = 0
	start = time.Now()
	if n, err := f.worker(t, sender, "smtp", opts).Drain(ctx); err != nil || n != 20 {
		t.Fatalf("unlimited drain: %d, %v", n, err)
	}
	if free := time.Since(start); free*3 > paced {
		t.Errorf("without a limit 20 mails took %s, with 10 a second %s: want the limit to be what slows", free, paced)
	}

	for i := 40; i < 60; i++ {
		f.mustRegister(t, ev.ID, person(i, &muni.ID, f.days))
	}
	opts.Rate = 1
	cut, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start = time.Now()
	n, err := f.worker(t, sender, "smtp", opts).Drain(cut)
	if waited := time.Since(start); err != nil || n != 1 || waited > time.Second {
		t.Errorf("cancelled drain at 1 a second: %d mails in %s (%v), want 1 and a prompt return", n, waited, err)
	}
}
