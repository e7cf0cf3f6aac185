package mail

import (
	"fmt"
	netmail "net/mail"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// ComposeMessage renders an organiser's message m to reg (an
// outbox.OrganiserMessage mail, or, with a zero msg, the preview of
// one): the person's greeting, the text as written (text part) and
// formatted (HTML part), the meeting and the person's manage link;
// schedule and muni are as for Compose. programme is the programme PDF
// when m includes it; m.Attachments are attached with their data (a
// preview passes names only). Messages are
// personal: nobody gets a copy.
func (c *Composer) ComposeMessage(msg outbox.Message, ev event.Event, schedule event.Schedule, reg registration.Registration, muni *municipality.Municipality, m message.Message, programme []byte) (*Envelope, error) {
	if msg.Kind != outbox.OrganiserMessage || msg.CopyOf != nil {
		return nil, fmt.Errorf("compose mail %d: %q is not a message to a registrant", msg.ID, msg.Kind)
	}
	if len(schedule) == 0 {
		schedule = ev.Schedule(nil)
	}
	to := msg.Recipient
	if to == "" {
		to = reg.Email
	}
	data := c.data(msg, &ev, schedule, &reg, muni, 0)
	data.MessageSubject, data.MessageText, data.MessageHTML, data.MessageFiles = m.Subject, m.Body, m.HTML(), m.Files()
	subject, text, html, err := c.render(msg.Kind, data)
	if err != nil {
		return nil, fmt.Errorf("compose message mail %d: %w", msg.ID, err)
	}
	env := &Envelope{From: c.from, To: netmail.Address{Name: reg.FullName(), Address: to},
		Subject: subject, TextBody: text, HTMLBody: html, MessageID: c.MessageID(msg.ID)}
	if m.IncludeProgramme && len(programme) > 0 { // a programme deleted since sending is not attached
		env.Attachments = append(env.Attachments, Attachment{Filename: message.ProgrammeFile, ContentType: "application/pdf", Data: programme})
	}
	for _, a := range m.Attachments {
		if len(a.Data) == 0 {
			continue // a preview names the file; the worker loads every file's data
		}
		env.Attachments = append(env.Attachments, Attachment{Filename: a.Filename, ContentType: "application/pdf", Data: a.Data})
	}
	return env, nil
}
