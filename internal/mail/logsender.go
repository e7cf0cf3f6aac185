package mail

import (
	"context"
	"log/slog"
)

// LogSender stands in for SMTP when no mail server is configured (local
// development, demos): it logs recipient, subject and the number of blind
// copies (not their addresses) and reports success.
// The worker still marks the message sent, with transport "log" and the
// rendered subject and text, so organisers can read it in the app.
type LogSender struct{ log *slog.Logger }

// NewLogSender returns a sender that writes to log.
func NewLogSender(log *slog.Logger) *LogSender { return &LogSender{log: log} }

// Send logs m and returns nil.
func (s *LogSender) Send(ctx context.Context, m *Envelope) error {
	s.log.InfoContext(ctx, "mail not sent, no SMTP server configured",
		"to", m.To.Address, "copies", len(m.Bcc), "subject", m.Subject, "message_id", m.MessageID)
	return nil
}
