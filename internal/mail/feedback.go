package mail

import (
	"context"
	"fmt"
	netmail "net/mail"
	"net/url"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// isFeedback reports whether a kind is a mail of the feedback survey.
func isFeedback(k outbox.Kind) bool {
	return k == outbox.FeedbackRequest || k == outbox.FeedbackReminder
}

// FeedbackURL is the address of a person's survey link.
func (c *Composer) FeedbackURL(token string) string {
	return c.baseURL + "/feedback/" + url.PathEscape(token)
}

// ComposeFeedback renders the request to answer a meeting's feedback
// survey, or the reminder, with the person's one-time link (token) and
// the survey's last day. Personal: nobody gets a copy.
func (c *Composer) ComposeFeedback(msg outbox.Message, ev event.Event, reg registration.Registration, muni *municipality.Municipality, token string, closesOn day.Date) (*Envelope, error) {
	if !isFeedback(msg.Kind) {
		return nil, fmt.Errorf("compose mail %d: %q is not a survey mail", msg.ID, msg.Kind)
	}
	to := msg.Recipient
	if to == "" {
		to = reg.Email
	}
	data := c.data(msg, &ev, ev.Schedule(nil), &reg, muni, 0)
	data.Link, data.LinkLabel = c.FeedbackURL(token), "Zum Fragebogen"
	data.FeedbackCloses = closesOn.GermanLong()
	subject, text, html, err := c.render(msg.Kind, data)
	if err != nil {
		return nil, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	return &Envelope{From: c.from, To: netmail.Address{Name: reg.FullName(), Address: to},
		Subject: subject, TextBody: text, HTMLBody: html, MessageID: c.MessageID(msg.ID)}, nil
}

// composeFeedback renders a survey mail with a new link; a person who
// answered in the meantime gets no reminder.
func (w *Worker) composeFeedback(ctx context.Context, m outbox.Message) (*Envelope, error) {
	reg, ev, err := w.registrationAndEvent(ctx, m)
	if err != nil {
		return nil, err
	}
	token, closes, err := w.loader.FeedbackLink(ctx, ev.ID, reg.ID)
	if problem.Is(err, problem.Conflict) {
		return nil, nothingToSend("Nicht gesendet: Die Person hat den Fragebogen bereits ausgefüllt.")
	}
	if err != nil {
		return nil, err
	}
	if day.Today(w.now()).After(closes) {
		return nil, nothingToSend("Nicht gesendet: Die Befragung ist beendet.")
	}
	muni, err := w.municipalityOf(ctx, reg)
	if err != nil {
		return nil, err
	}
	env, err := w.composer.ComposeFeedback(m, ev, reg, muni, token, closes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errPermanent, err)
	}
	return env, nil
}
