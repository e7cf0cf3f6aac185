// Package mail sends the notifications queued in the outbox: it renders
// them from the embedded German templates (text, HTML and a calendar
// invitation), hands them to a Sender (SMTP, or a log when no server is
// configured) and records the outcome, retrying with backoff.
package mail

import (
	"context"
	netmail "net/mail"
)

// Sender delivers one rendered message. An error means "not delivered,
// try again later".
type Sender interface {
	Send(ctx context.Context, m *Envelope) error
}

// Session is a Sender that keeps its connection for the messages it
// sends one after another; Close ends the connection. A session is used
// by one goroutine at a time.
type Session interface {
	Sender
	Close() error
}

// SessionOpener is a Sender that can give each of the worker's
// goroutines a session of its own; senders that cannot are shared.
type SessionOpener interface {
	Session() Session
}

// Envelope is a rendered message ready to send.
type Envelope struct {
	From netmail.Address
	To   netmail.Address
	// Bcc receive the message too, without being named in it: the
	// coordinators of the participant's municipality.
	Bcc         []netmail.Address
	Subject     string
	TextBody    string
	HTMLBody    string // optional alternative to TextBody
	MessageID   string // "<outbox-42.treffen@treffen.example.org>", stable per outbox row
	Attachments []Attachment
	// ListUnsubscribe is the one-click unsubscribe address (RFC 8058) of
	// mails to network contacts; "" for every other mail.
	ListUnsubscribe string
}

// Attachment is a file sent with a message.
type Attachment struct {
	Filename    string // "einladung.ics"
	ContentType string // "text/calendar; method=REQUEST; charset=UTF-8"
	Data        []byte
}
