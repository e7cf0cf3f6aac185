// Package smtptest runs a real SMTP server inside a test process that
// keeps every delivery, for tests that start the service and check what
// it mailed.
package smtptest

import (
	"bytes"
	"io"
	"log"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Delivery is one recipient of one accepted mail.
type Delivery struct {
	To        string // the envelope recipient, lower-case
	MessageID string
	Raw       []byte // the message as received, headers and body
}

// Mailbox is a running SMTP server on a loopback port.
type Mailbox struct {
	Addr string // host:port to give the service

	mu         sync.Mutex
	deliveries []Delivery
}

// Start starts a mailbox for t; it stops when t ends. A sender that
// drops its connection (a killed process) is not logged.
func Start(t testing.TB) *Mailbox {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	box := &Mailbox{Addr: l.Addr().String()}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return box
}

// All returns the deliveries so far.
func (m *Mailbox) All() []Delivery {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Delivery(nil), m.deliveries...)
}

// NewSession serves one SMTP connection.
func (m *Mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: m}, nil }

type session struct {
	box *Mailbox
	to  []string
}

func (s *session) Reset()                                    { s.to = nil }
func (s *session) Logout() error                             { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	id := msg.Header.Get("Message-Id")
	s.box.mu.Lock()
	for _, to := range s.to {
		s.box.deliveries = append(s.box.deliveries, Delivery{To: strings.ToLower(to), MessageID: id, Raw: raw})
	}
	s.box.mu.Unlock()
	return nil
}
