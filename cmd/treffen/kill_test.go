package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/loadtest"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/smtptest"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// process is the treffen binary running `serve`.
type process struct {
	t    *testing.T
	bin  string
	env  []string
	log  *os.File
	cmd  *exec.Cmd
	base string
}

func (p *process) start() {
	p.t.Helper()
	p.cmd = exec.Command(p.bin, "serve")
	p.cmd.Env = p.env
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(p.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(p.log.Name())
	p.t.Fatalf("treffen did not become ready:\n%s", log)
}

func (p *process) signal(sig syscall.Signal) {
	p.t.Helper()
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	_ = p.cmd.Wait()
	p.cmd = nil
}

// TestKillMidBurstLosesNoRegistrationAndNoMail builds the binary, runs
// it against a database (PostgreSQL when TREFFEN_TEST_DATABASE_URL is
// set, else an SQLite file) with SMTP pointing at a mailbox of the test,
// kills it with SIGKILL while a registration burst is in flight and the
// mail worker is behind, starts it again and waits until the outbox is
// drained. Every registration a client saw succeed is stored; every
// registration got exactly one mail (one Message-ID); a mail is received
// twice at most for the one the worker had in hand at the kill.
func TestKillMidBurstLosesNoRegistrationAndNoMail(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the test that builds and kills the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "treffen")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbURL := storetest.URL(t)
	box := smtptest.Start(t)
	smtpAddr := box.Addr
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	logFile, err := os.Create(filepath.Join(dir, "treffen.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := os.ReadFile(logFile.Name())
			t.Logf("log of treffen serve:\n%s", out)
		}
	})
	const admin, password = "orga@isa.example", "sehr-geheimes-passwort"
	const connections = 4 // mails in hand at once
	p := &process{t: t, bin: bin, log: logFile, base: "http://" + addr, env: append(os.Environ(),
		"TREFFEN_ADDR="+addr, "TREFFEN_DATABASE_URL="+dbURL, "TREFFEN_SMTP_URL=smtp://"+smtpAddr,
		"TREFFEN_ADMIN_EMAIL="+admin, "TREFFEN_ADMIN_PASSWORD="+password, "TREFFEN_RATE_LIMIT_REGISTER=0", "TREFFEN_MAIL_RATE=0",
		"TREFFEN_MAIL_LEASE=4s", "TREFFEN_MAIL_POLL_INTERVAL=200ms", fmt.Sprintf("TREFFEN_MAIL_CONNECTIONS=%d", connections), "TREFFEN_LOG_LEVEL=warn", "TREFFEN_CONFIG=")}
	p.start()
	t.Cleanup(func() { p.signal(syscall.SIGTERM) })

	ctx := context.Background()
	r, err := loadtest.New(ctx, loadtest.Options{BaseURL: p.base, Email: admin, Password: password,
		Municipalities: 40, PerMunicipality: 8, Concurrency: 8, MaxWait: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan loadtest.Phase)
	go func() { done <- r.Burst(ctx) }()
	for len(box.All()) < 5 {
		time.Sleep(2 * time.Millisecond)
	}
	p.signal(syscall.SIGKILL)
	atKill := len(box.All())
	p.start()
	burst := <-done
	t.Logf("%s; killed after %d mails", burst, atKill)
	if burst.Failed != 0 {
		t.Errorf("failed registrations: %v", burst.Errors)
	}
	if burst.Outages["connection"] == 0 {
		t.Error("the burst was over before the kill; the test proved nothing")
	}

	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mails := outbox.NewStore(db.Gorm)
	deadline := time.Now().Add(60 * time.Second)
	for {
		counts, err := mails.CountByStatus(ctx, r.EventID())
		if err != nil {
			t.Fatal(err)
		}
		if counts[outbox.Pending] == 0 && counts[outbox.Sending] == 0 {
			if counts[outbox.Failed] != 0 {
				t.Errorf("failed mails: %v", counts)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not drained after a minute: %v", counts)
		}
		time.Sleep(100 * time.Millisecond)
	}

	v, err := r.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(v)
	if !v.OK() {
		t.Error(v.Problems)
	}
	regs, err := registration.NewStore(db.Gorm, nil).List(ctx, r.EventID(), registration.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	queued, err := mails.List(ctx, outbox.Filter{EventID: r.EventID()})
	if err != nil {
		t.Fatal(err)
	}
	kindOf := map[string]outbox.Kind{} // Message-ID → kind
	for _, m := range queued {
		kindOf[m.MessageID] = m.Kind
	}
	delivered := box.All()
	ids := map[string]map[string]bool{} // recipient → distinct Message-IDs
	for _, d := range delivered {
		if ids[d.To] == nil {
			ids[d.To] = map[string]bool{}
		}
		ids[d.To][d.MessageID] = true
	}
	distinct := 0
	for _, reg := range regs {
		got := ids[strings.ToLower(reg.Email)]
		distinct += len(got)
		if len(got) != 1 {
			t.Errorf("%s (%s) received %d distinct mails, want exactly 1", reg.Email, reg.Status, len(got))
			continue
		}
		want := outbox.Confirmation
		if reg.Status == registration.Waitlisted {
			want = outbox.Waitlisted
		}
		for id := range got {
			if kindOf[id] != want {
				t.Errorf("%s (%s) received a %q mail %s, want %s", reg.Email, reg.Status, kindOf[id], id, want)
			}
		}
	}
	t.Logf("%s: %d registrations, %d distinct mails, %d deliveries (%d repeated after the kill)",
		storetest.Describe(), len(regs), distinct, len(delivered), len(delivered)-distinct)
	if len(ids) != len(regs) {
		t.Errorf("mail went to %d addresses for %d registrations", len(ids), len(regs))
	}
	// Only the mails in hand (one per connection) can have been accepted
	// by the server but not yet marked sent when killed.
	if extra := len(delivered) - distinct; extra > connections {
		t.Errorf("%d repeated deliveries; at most the %d mails in hand at the kill may repeat", extra, connections)
	}
	if len(regs) != 320 {
		t.Errorf("%d registrations stored, want 320", len(regs))
	}
}
