package mail_test

import (
	"context"
	"fmt"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	tmail "github.com/isa-nrw/treffen/internal/mail"
)

func TestNewSMTPSenderParsesURLs(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"smtp://mail.example.org":                                           "smtp://mail.example.org",
		"smtp://user:geheim@mail.example.org:587":                           "smtp://user:***@mail.example.org:587",
		"smtp://user%40isa:p%40ss@mail.example.org:587?starttls=required":   "smtp://user%40isa:***@mail.example.org:587?starttls=required",
		"smtp://localhost:1025?starttls=never&timeout=5s":                   "smtp://localhost:1025?starttls=never&timeout=5s",
		"smtps://user:geheim@mail.example.org":                              "smtps://user:***@mail.example.org",
		"smtps://mail.example.org:2465?insecure=1&helo=treffen.isa.example": "smtps://mail.example.org:2465?insecure=1&helo=treffen.isa.example",
	}
	for raw, shown := range good {
		s, err := tmail.NewSMTPSender(raw, "anmeldung@isa.example.org")
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if s.String() != shown {
			t.Errorf("%s shown as %q, want %q", raw, s.String(), shown)
		}
	}
	bad := []string{
		"",
		"mail.example.org:25",
		"http://mail.example.org",
		"smtp://",
		"smtp://:25",
		"smtp://mail.example.org:0",
		"smtp://mail.example.org:70000",
		"smtp://mail.example.org:abc",
		"smtp://mail.example.org/path",
		"smtp://mail.example.org?starttls=maybe",
		"smtp://mail.example.org?insecure=perhaps",
		"smtp://mail.example.org?timeout=-1s",
		"smtp://mail.example.org?tls=1",
		"smtps://mail.example.org?starttls=required",
		"smtp://user:geheim@mail.example.org:465",
		"smtp://user:geh eim@mail.example.org:%zz",
	}
	for _, raw := range bad {
		_, err := tmail.NewSMTPSender(raw, "anmeldung@isa.example.org")
		if err == nil {
			t.Errorf("%q accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "geheim") || strings.Contains(err.Error(), "geh eim") {
			t.Errorf("error shows the password: %v", err)
		}
	}
	if _, err := tmail.NewSMTPSender("smtp://mail.example.org", "kein absender"); err == nil {
		t.Error("bad sender address accepted")
	}
}

func TestRequiredStartTLSRefusesAPlainServer(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, "127.0.0.1:0")
	s, err := tmail.NewSMTPSender("smtp://"+srv.addr+"?starttls=required&timeout=2s", "anmeldung@isa.example.org")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), &tmail.Envelope{To: mail.Address{Address: "a@b.example"}, Subject: "x", TextBody: "x"})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("send without STARTTLS: %v", err)
	}
	if len(srv.messages()) != 0 {
		t.Error("message delivered in the clear")
	}
}

func TestSilentServerDoesNotHoldTheSender(t *testing.T) {
	t.Parallel()
	// Accepts connections and never greets, like plain SMTP sent to a
	// TLS-only port.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	accepted := make(chan net.Conn, 1)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	s, err := tmail.NewSMTPSender("smtp://"+l.Addr().String()+"?timeout=100ms", "anmeldung@isa.example.org")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = s.Send(context.Background(), &tmail.Envelope{To: mail.Address{Address: "a@b.example"}, Subject: "x", TextBody: "x"})
	if err == nil {
		t.Fatal("send to a silent server succeeded")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("send gave up after %s", d)
	}
	conns = append(conns, <-accepted)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	s, err = tmail.NewSMTPSender("smtp://"+l.Addr().String()+"?timeout=10s", "anmeldung@isa.example.org")
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err := s.Send(ctx, &tmail.Envelope{To: mail.Address{Address: "a@b.example"}, Subject: "x", TextBody: "x"}); err == nil {
		t.Fatal("send to a silent server succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("send ignored its context for %s", d)
	}
	conns = append(conns, <-accepted)
}

func TestSessionKeepsItsConnectionAndRecovers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startSMTP(t, "127.0.0.1:0")
	srv.refuse = map[string]bool{"weg@kommune.example": true}
	env := func(to string) *tmail.Envelope {
		return &tmail.Envelope{To: mail.Address{Address: to}, Subject: "Test", TextBody: "Hallo", MessageID: "<" + to + ">"}
	}
	sess := smtpSender(t, srv, "starttls=never").Session()
	defer sess.Close()
	for i := range 3 {
		if err := sess.Send(ctx, env(fmt.Sprintf("a%d@kommune.example", i))); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if c := srv.connections(); c != 1 {
		t.Errorf("%d connections for three mails, want 1", c)
	}
	// A refused recipient ends the connection mid-transaction; the next
	// mail goes out over a new one.
	if err := sess.Send(ctx, env("weg@kommune.example")); err == nil {
		t.Error("a refused recipient was reported as sent")
	}
	if err := sess.Send(ctx, env("b@kommune.example")); err != nil {
		t.Fatalf("send after a refusal: %v", err)
	}
	// A server that restarted (or closed an idle connection) is dialled again.
	addr := srv.addr
	_ = srv.srv.Close()
	again := startSMTP(t, addr)
	if err := sess.Send(ctx, env("c@kommune.example")); err != nil {
		t.Fatalf("send after the server restarted: %v", err)
	}
	if got := again.messages(); len(got) != 1 || got[0].To[0] != "c@kommune.example" {
		t.Errorf("restarted server received %v", got)
	}
	if got := srv.messages(); len(got) != 4 {
		t.Errorf("first server received %d mails, want 4", len(got))
	}
}
