package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/go-mail/mail/v2"
)

// ProbeReport says how far a conversation with the mail server got.
type ProbeReport struct {
	Greeting string   // the server's first line (220 …), without the code
	TLS      string   // "smtps", "STARTTLS" or "" when unencrypted
	Auth     string   // the mechanism that was accepted, "" without credentials
	Steps    []string // one short line per step that succeeded
}

// Probe connects to the mail server the way Send does – TCP, greeting,
// EHLO, STARTTLS as the URL asks, AUTH when credentials are configured –
// and says QUIT without sending anything. Every step together is bounded
// by timeout or the URL's timeout, whichever is shorter; the report lists
// the steps that succeeded even when err is not nil.
func (s *SMTPSender) Probe(ctx context.Context, timeout time.Duration) (ProbeReport, error) {
	var rep ProbeReport
	if timeout <= 0 || s.timeout < timeout {
		timeout = s.timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(s.host, strconv.Itoa(s.port))
	fail := func(step string, err error) (ProbeReport, error) {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("keine Antwort innerhalb von %s", timeout)
		}
		return rep, fmt.Errorf("%s (%s): %w", step, addr, err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fail("Verbindung", err)
	}
	defer conn.Close()
	dl, _ := ctx.Deadline()
	// One deadline for the whole conversation: a server that accepts the
	// connection and stays silent cannot hold the probe.
	if err := conn.SetDeadline(dl); err != nil {
		return fail("Verbindung", err)
	}
	rep.Steps = append(rep.Steps, "TCP-Verbindung zu "+addr)
	if s.implicit {
		tc := tls.Client(conn, s.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail("TLS", err)
		}
		conn = tc
		rep.TLS = "smtps"
		rep.Steps = append(rep.Steps, "TLS von Beginn an (smtps)")
	}
	greeting := &greetingConn{Conn: conn}
	c, err := smtp.NewClient(greeting, s.host)
	if err != nil {
		return fail("Begrüßung", err)
	}
	defer c.Close()
	rep.Greeting = greeting.first()
	rep.Steps = append(rep.Steps, "Begrüßung: "+rep.Greeting)
	name := s.localName
	if name == "" {
		name = "localhost"
	}
	if err := c.Hello(name); err != nil {
		return fail("EHLO", err)
	}
	rep.Steps = append(rep.Steps, "EHLO "+name)
	if !s.implicit && s.starttls != gomail.NoStartTLS {
		offered, _ := c.Extension("STARTTLS")
		switch {
		case offered:
			if err := c.StartTLS(s.tls); err != nil {
				return fail("STARTTLS", err)
			}
			rep.TLS = "STARTTLS"
			rep.Steps = append(rep.Steps, "STARTTLS")
		case s.starttls == gomail.MandatoryStartTLS:
			return fail("STARTTLS", errors.New("der Server bietet kein STARTTLS an, die URL verlangt es (starttls=required)"))
		}
	}
	if s.username != "" {
		ok, mechs := c.Extension("AUTH")
		if !ok {
			return fail("AUTH", errors.New("es sind Zugangsdaten eingetragen, der Server bietet aber kein AUTH an"))
		}
		auth, mech := s.chooseAuth(mechs)
		if err := c.Auth(auth); err != nil {
			return fail("AUTH "+mech, err)
		}
		rep.Auth = mech
		rep.Steps = append(rep.Steps, "AUTH "+mech+" als "+s.username)
	}
	if err := c.Quit(); err != nil {
		return fail("QUIT", err)
	}
	return rep, nil
}

// chooseAuth picks the mechanism the way the sending dialer does:
// CRAM-MD5, else LOGIN when PLAIN is not offered, else PLAIN.
func (s *SMTPSender) chooseAuth(mechs string) (smtp.Auth, string) {
	switch {
	case strings.Contains(mechs, "CRAM-MD5"):
		return smtp.CRAMMD5Auth(s.username, s.password), "CRAM-MD5"
	case strings.Contains(mechs, "LOGIN") && !strings.Contains(mechs, "PLAIN"):
		return &loginAuth{user: s.username, pass: s.password}, "LOGIN"
	default:
		return smtp.PlainAuth("", s.username, s.password, s.host), "PLAIN"
	}
}

// loginAuth answers the two prompts of the LOGIN mechanism.
type loginAuth struct{ user, pass string }

func (a *loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

func (a *loginAuth) Next(prompt []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch {
	case bytes.EqualFold(prompt, []byte("Username:")):
		return []byte(a.user), nil
	case bytes.EqualFold(prompt, []byte("Password:")):
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("unerwartete Frage des Servers: %q", prompt)
}

// greetingConn keeps the first line the server sends.
type greetingConn struct {
	net.Conn
	buf  []byte
	done bool
}

func (g *greetingConn) Read(p []byte) (int, error) {
	n, err := g.Conn.Read(p)
	if !g.done {
		g.buf = append(g.buf, p[:n]...)
		if bytes.IndexByte(g.buf, '\n') >= 0 || len(g.buf) > 512 {
			g.done = true
		}
	}
	return n, err
}

func (g *greetingConn) first() string {
	line, _, _ := bytes.Cut(g.buf, []byte("\n"))
	line = bytes.TrimSpace(line)
	if len(line) > 4 && (line[3] == ' ' || line[3] == '-') {
		line = line[4:]
	}
	if len(line) > 120 {
		line = line[:120]
	}
	return string(line)
}

// Host is the mail server's host name.
func (s *SMTPSender) Host() string { return s.host }
