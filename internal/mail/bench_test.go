package mail_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/go-mail/mail/v2"
	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// Sizes of BenchmarkWorkerThroughput: the history of sent mails already
// in the table, the mails sent per round and the SMTP connections.
const (
	benchHistory     = 50_000
	benchMails       = 1_000
	benchConnections = 4
)

// BenchmarkWorkerThroughput measures the mail worker delivering to an
// in-process SMTP server with a long history of sent mails in the
// outbox, next to the same server fed prepared messages over the same
// number of connections (no database, nothing rendered). Only the ratio
// means something on a shared machine. Run with -benchtime=1x.
func BenchmarkWorkerThroughput(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	ev := f.mustEvent(b, 100)
	muni := f.mustMunicipality(b, "Stadt Köln")
	var regs []registration.Registration
	for i := range 20 {
		regs = append(regs, f.mustRegister(b, ev.ID, person(i, &muni.ID, f.days)))
	}
	// The history is about somebody else: a registration has a handful
	// of mails, not thousands (each mail's calendar SEQUENCE counts the
	// registration's earlier ones).
	earlier := f.mustRegister(b, ev.ID, person(len(regs), &muni.ID, f.days))
	srv := startSMTP(b, "127.0.0.1:0")
	w := f.worker(b, smtpSender(b, srv, ""), "smtp", benchOptions())
	if n, err := w.Drain(ctx); err != nil || n != len(regs)+1 {
		b.Fatalf("first drain: %d, %v", n, err)
	}
	fillHistory(b, f, ev.ID, earlier.ID, benchHistory)

	claim := timeIdleClaims(b, f)
	var reference, worker time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		queue(b, f, regs, benchMails)
		b.StartTimer()
		start := time.Now()
		n, err := w.Drain(ctx)
		worker += time.Since(start)
		if err != nil || n != benchMails {
			b.Fatalf("drain: %d, %v; want %d", n, err, benchMails)
		}
		b.StopTimer()
		reference += sendPrepared(b, srv, benchMails, benchConnections)
		b.StartTimer()
	}
	b.StopTimer()
	mails := float64(b.N * benchMails)
	perWorker, perReference := mails/worker.Seconds(), mails/reference.Seconds()
	b.ReportMetric(perWorker, "mails/s")
	b.ReportMetric(perWorker/perReference, "ratio")
	b.Logf("%s, %d sent mails in the table: worker %.0f mails/s, SMTP server alone (%d connections) %.0f mails/s, ratio %.3f; claim with nothing due %s",
		storetest.Describe(), benchHistory, perWorker, benchConnections, perReference, perWorker/perReference, claim)
}

// fillHistory writes n sent mails with bodies of a typical size.
func fillHistory(b *testing.B, f *fixture, eventID, regID int64, n int) {
	b.Helper()
	body := strings.Repeat("Sehr geehrte Frau Dr. Müller, vielen Dank für Ihre Anmeldung. ", 30)
	sent := time.Now().UTC().Add(-time.Hour)
	batch := make([]outbox.Message, 0, 1000)
	for i := range n {
		batch = append(batch, outbox.Message{Kind: outbox.Confirmation, EventID: &eventID, RegistrationID: &regID,
			Recipient: fmt.Sprintf("alt%d@kommune.example", i), Status: outbox.Pending, Attempts: 1, NextAttemptAt: sent,
			Subject: "Anmeldebestätigung", TextBody: body, MessageID: fmt.Sprintf("<old-%d@example.org>", i), Transport: "smtp", SentAt: &sent})
		if len(batch) == cap(batch) || i == n-1 {
			if err := f.db.Gorm.CreateInBatches(batch, 200).Error; err != nil {
				b.Fatalf("history: %v", err)
			}
			batch = batch[:0]
		}
	}
	// A backlog, as the statistics saw it, then delivered.
	if f.db.IsPostgres() {
		if err := f.db.Gorm.Exec("ANALYZE mail_outbox").Error; err != nil {
			b.Fatal(err)
		}
	}
	if err := f.db.Gorm.Model(&outbox.Message{}).Where("status = ?", outbox.Pending).
		UpdateColumns(map[string]any{"status": outbox.Sent, "sent_at": sent}).Error; err != nil {
		b.Fatal(err)
	}
}

// queue writes n due confirmation mails about the given registrations.
func queue(b *testing.B, f *fixture, regs []registration.Registration, n int) {
	b.Helper()
	err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
		for i := range n {
			r := regs[i%len(regs)]
			if err := outbox.Enqueue(tx, outbox.Confirmation, r.EventID, r.ID, r.Email, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("queue: %v", err)
	}
}

// timeIdleClaims is the mean time of a claim that finds nothing due.
func timeIdleClaims(b *testing.B, f *fixture) time.Duration {
	b.Helper()
	const rounds = 200
	start := time.Now()
	for range rounds {
		if _, ok, err := f.outbox.Claim(context.Background(), time.Now(), time.Minute); err != nil || ok {
			b.Fatalf("idle claim: %v, %v", ok, err)
		}
	}
	return time.Since(start) / rounds
}

// sendPrepared sends n ready messages to srv over conns connections
// opened once, and returns how long it took.
func sendPrepared(b *testing.B, srv *smtpServer, n, conns int) time.Duration {
	b.Helper()
	host, port := splitAddr(b, srv.addr)
	d := gomail.NewDialer(host, port, testUser, testPass)
	d.StartTLSPolicy = gomail.NoStartTLS
	msg := gomail.NewMessage()
	msg.SetHeader("From", testFrom)
	msg.SetHeader("To", "erika@kommune.example")
	msg.SetHeader("Subject", "Anmeldebestätigung")
	msg.SetBody("text/plain", strings.Repeat("Vielen Dank für Ihre Anmeldung. ", 60))
	msg.AddAlternative("text/html", "<p>"+strings.Repeat("Vielen Dank für Ihre Anmeldung. ", 60)+"</p>")
	start := time.Now()
	var wg sync.WaitGroup
	for c := range conns {
		wg.Go(func() {
			sc, err := d.Dial()
			if err != nil {
				b.Errorf("dial: %v", err)
				return
			}
			defer sc.Close()
			for i := c; i < n; i += conns {
				if err := gomail.Send(sc, msg); err != nil {
					b.Errorf("send: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

func splitAddr(b *testing.B, addr string) (string, int) {
	b.Helper()
	i := strings.LastIndex(addr, ":")
	var port int
	if _, err := fmt.Sscan(addr[i+1:], &port); err != nil {
		b.Fatal(err)
	}
	return addr[:i], port
}

func benchOptions() mail.WorkerOptions {
	o := fastOptions()
	o.Connections = benchConnections
	return o
}
