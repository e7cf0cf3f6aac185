package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/go-mail/mail/v2"
)

// DefaultSMTPTimeout bounds connecting to and talking with the mail server.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPSender delivers messages through an SMTP server. Send uses one
// connection per message; the worker's goroutines each keep a
// connection for as long as they have mails to send (Session).
type SMTPSender struct {
	host      string
	port      int
	username  string
	password  string
	implicit  bool // smtps: TLS from the first byte
	starttls  gomail.StartTLSPolicy
	tls       *tls.Config
	timeout   time.Duration
	localName string
	from      netmail.Address
	display   string // the URL without the password, for logs
}

// NewSMTPSender returns a sender for a server URL:
//
//	smtp://user:pass@host:587            STARTTLS when the server offers it (port 25 by default)
//	smtp://host:587?starttls=required    refuse to send unencrypted
//	smtp://host:1025?starttls=never      plain text, e.g. a local mail catcher
//	smtps://user:pass@host               TLS from the start (port 465 by default)
//
// Further query parameters: insecure=1 skips certificate verification
// (test servers only), timeout=30s, helo=name (the name announced with
// EHLO; "localhost" by default). User and password are URL-encoded.
// from is the sender address used when an Envelope has none.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	shown := redactURL(rawURL)
	fail := func(format string, args ...any) (*SMTPSender, error) {
		return nil, fmt.Errorf("mail server URL %q: %s", shown, fmt.Sprintf(format, args...))
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error repeats the raw URL, password included: keep only the reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fail("not a URL: %v", err)
	}
	s := &SMTPSender{timeout: DefaultSMTPTimeout}
	switch u.Scheme {
	case "smtp":
		s.port = 25
	case "smtps":
		s.port = 465
		s.implicit = true
	default:
		return fail("use smtp://host:port or smtps://host:port")
	}
	if u.Opaque != "" {
		return fail("use smtp://host:port or smtps://host:port")
	}
	s.host = u.Hostname()
	if s.host == "" {
		return fail("the host is missing")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fail("port %q is not a number between 1 and 65535", p)
		}
		s.port = n
	}
	if !s.implicit && s.port == 465 {
		return fail("port 465 expects TLS from the first byte: use smtps://")
	}
	if u.Path != "" && u.Path != "/" {
		return fail("unexpected path %q", u.Path)
	}
	if u.User != nil {
		s.username = u.User.Username()
		s.password, _ = u.User.Password()
	}
	insecure := false
	for key, values := range u.Query() {
		v := strings.ToLower(strings.TrimSpace(values[len(values)-1]))
		switch key {
		case "starttls":
			if s.implicit {
				return fail("starttls applies to smtp:// only; smtps:// always uses TLS")
			}
			switch v {
			case "", "auto", "opportunistic":
				s.starttls = gomail.OpportunisticStartTLS
			case "required", "mandatory", "1", "true", "yes":
				s.starttls = gomail.MandatoryStartTLS
			case "never", "off", "0", "false", "no":
				s.starttls = gomail.NoStartTLS
			default:
				return fail("starttls=%s: use auto, required or never", v)
			}
		case "insecure":
			switch v {
			case "1", "true", "yes":
				insecure = true
			case "", "0", "false", "no":
			default:
				return fail("insecure=%s: use 1 or 0", v)
			}
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fail("timeout=%s: use a duration such as 30s", v)
			}
			s.timeout = d
		case "helo":
			if v == "" || strings.ContainsAny(v, " \r\n") {
				return fail("helo=%s: use a host name", v)
			}
			s.localName = v
		default:
			return fail("unknown parameter %q (known: starttls, insecure, timeout, helo)", key)
		}
	}
	s.tls = &tls.Config{ServerName: s.host, InsecureSkipVerify: insecure, MinVersion: tls.VersionTLS12}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail sender address %q: %w", from, err)
	}
	s.from = *addr
	s.display = shown
	return s, nil
}

// String is the server URL without the password, for the start-up log.
func (s *SMTPSender) String() string { return s.display }

// Send delivers m over a fresh connection. It returns when the server
// accepted or refused the message, after three timeouts, or when ctx
// ends, whichever comes first.
func (s *SMTPSender) Send(ctx context.Context, m *Envelope) error {
	sess := s.Session()
	defer sess.Close()
	return sess.Send(ctx, m)
}

func (s *SMTPSender) dialer() *gomail.Dialer {
	return &gomail.Dialer{
		Host:           s.host,
		Port:           s.port,
		Username:       s.username,
		Password:       s.password,
		SSL:            s.implicit,
		TLSConfig:      s.tls,
		StartTLSPolicy: s.starttls,
		LocalName:      s.localName,
		Timeout:        s.timeout,
		RetryFailure:   false, // the session reconnects, the worker retries with backoff
	}
}

// Session returns a sender that opens a connection with its first
// message and keeps it for the next ones, until Close or an error.
func (s *SMTPSender) Session() Session { return &smtpSession{s: s} }

// exchange is the outcome of one exchange with the server: the
// connection to keep (nil after an error) and the error.
type exchange struct {
	sc  gomail.SendCloser
	err error
}

// smtpSession is one connection to the server, opened when needed.
type smtpSession struct {
	s  *SMTPSender
	sc gomail.SendCloser // nil: not connected
}

// Send delivers m over the session's connection. A connection the
// server closed meanwhile (idle timeout) is replaced once: a failure
// of the transport before the server's answer to DATA delivered
// nothing, and one after it is the same case as a retry by the worker,
// which sends the mail again with the same Message-ID.
func (ss *smtpSession) Send(ctx context.Context, m *Envelope) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("send mail %s: %w", m.MessageID, err)
	}
	msg, err := ss.s.message(m)
	if err != nil {
		return err
	}
	reused := ss.sc != nil
	err = ss.send(ctx, msg)
	if err != nil && reused && isTransport(err) && ctx.Err() == nil {
		err = ss.send(ctx, msg)
	}
	if err != nil {
		return fmt.Errorf("send mail %s via %s:%d: %w", m.MessageID, ss.s.host, ss.s.port, err)
	}
	return nil
}

// send runs one exchange. go-mail bounds each step by the timeout
// except the server's greeting, which it waits for without a deadline:
// a server that accepts the connection and stays silent (plain SMTP to
// a TLS port, a tarpit) would hold the worker for good. So the exchange
// runs aside and is given up after three timeouts (connect+greeting,
// hello+auth, transfer) or when ctx ends. A conversation given up on may
// still complete later; the retry then repeats the mail with the same
// Message-ID. After any error the connection is dropped: a refused
// recipient leaves the server in the middle of a transaction.
func (ss *smtpSession) send(ctx context.Context, msg *gomail.Message) error {
	d := ss.s.dialer()
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d.Timeout {
		d.Timeout = max(time.Until(dl), time.Millisecond)
	}
	sc := ss.sc
	ss.sc = nil
	done := make(chan exchange, 1)
	go func() {
		var err error
		if sc == nil {
			if sc, err = d.Dial(); err != nil {
				done <- exchange{nil, err}
				return
			}
		}
		if err = gomail.Send(sc, msg); err != nil {
			go func(sc gomail.SendCloser) { _ = sc.Close() }(sc)
			sc = nil
		}
		done <- exchange{sc, err}
	}()
	limit := time.NewTimer(3*d.Timeout + time.Second)
	defer limit.Stop()
	select {
	case r := <-done:
		ss.sc = r.sc
		return r.err
	case <-limit.C:
		err := fmt.Errorf("no answer within %s", 3*d.Timeout+time.Second)
		go closeWhenDone(done)
		return err
	case <-ctx.Done():
		go closeWhenDone(done)
		return ctx.Err()
	}
}

// closeWhenDone closes the connection of an exchange given up on once
// the exchange ends.
func closeWhenDone(done <-chan exchange) {
	if sc := (<-done).sc; sc != nil {
		_ = sc.Close()
	}
}

// Close ends the connection. The QUIT runs aside: every mail sent on it
// was accepted already, and the worker need not wait for the server.
func (ss *smtpSession) Close() error {
	if sc := ss.sc; sc != nil {
		ss.sc = nil
		go func() { _ = sc.Close() }()
	}
	return nil
}

// isTransport reports whether err is a failure of the connection rather
// than the server's answer.
func isTransport(err error) bool {
	var reply *textproto.Error
	return !errors.As(err, &reply)
}

func (s *SMTPSender) message(m *Envelope) (*gomail.Message, error) {
	from := m.From
	if from.Address == "" {
		from = s.from
	}
	if m.To.Address == "" {
		return nil, fmt.Errorf("send mail %s: no recipient", m.MessageID)
	}
	msg := gomail.NewMessage() // UTF-8, quoted-printable
	msg.SetAddressHeader("From", from.Address, from.Name)
	msg.SetAddressHeader("To", m.To.Address, m.To.Name)
	if len(m.Bcc) > 0 {
		// go-mail adds the Bcc header's addresses to RCPT TO and leaves
		// the header out of the message it writes.
		bcc := make([]string, len(m.Bcc))
		for i, a := range m.Bcc {
			bcc[i] = a.Address
		}
		msg.SetHeader("Bcc", bcc...)
	}
	msg.SetHeader("Subject", m.Subject)
	if m.MessageID != "" {
		msg.SetHeader("Message-ID", m.MessageID)
	}
	// RFC 3834: no vacation replies to a machine.
	msg.SetHeader("Auto-Submitted", "auto-generated")
	if m.ListUnsubscribe != "" {
		// RFC 2369 and RFC 8058: mail programs offer "Abbestellen", and
		// their providers POST "List-Unsubscribe=One-Click" to the URL.
		msg.SetHeader("List-Unsubscribe", "<"+m.ListUnsubscribe+">")
		msg.SetHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	msg.SetBody("text/plain", m.TextBody)
	if m.HTMLBody != "" {
		msg.AddAlternative("text/html", m.HTMLBody)
	}
	for _, a := range m.Attachments {
		data := a.Data
		ct := a.ContentType
		if !strings.Contains(ct, "name=") {
			ct += `; name="` + a.Filename + `"`
		}
		msg.Attach(a.Filename,
			gomail.SetHeader(map[string][]string{"Content-Type": {ct}}),
			gomail.SetCopyFunc(func(w io.Writer) error {
				_, err := w.Write(data)
				return err
			}))
	}
	return msg, nil
}

// redactURL hides the password of scheme://user:password@host.
func redactURL(raw string) string {
	at := strings.LastIndex(raw, "@")
	scheme := strings.Index(raw, "://")
	if at < 0 || scheme < 0 || scheme > at {
		return raw
	}
	userinfo := raw[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return raw[:scheme+3] + userinfo[:i] + ":***" + raw[at:]
	}
	return raw
}
