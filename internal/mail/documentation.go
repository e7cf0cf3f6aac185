package mail

import (
	"context"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	netmail "net/mail"
	"strings"
	texttemplate "text/template"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// documentationNoticeContact names the templates of the notice to
// network contacts; participants get outbox.DocumentationNotice in the
// frame of the registration mails.
const documentationNoticeContact = "documentation_notice_contact"

// parseDocumentationNotice parses the notice to contacts, a frame of its
// own: it has no registration link and names no deadline.
func (c *Composer) parseDocumentationNotice(fsys fs.FS) error {
	txt, err := texttemplate.New(documentationNoticeContact).Option("missingkey=error").
		ParseFS(fsys, "mail/"+documentationNoticeContact+".txt.tmpl")
	if err != nil {
		return fmt.Errorf("mail composer: parse %s text: %w", documentationNoticeContact, err)
	}
	html, err := htmltemplate.New(documentationNoticeContact).Option("missingkey=error").
		ParseFS(fsys, "mail/"+documentationNoticeContact+".html.tmpl")
	if err != nil {
		return fmt.Errorf("mail composer: parse %s HTML: %w", documentationNoticeContact, err)
	}
	for _, name := range []string{"subject", "mail"} {
		if txt.Lookup(name) == nil {
			return fmt.Errorf("mail composer: %s text templates define no %q", documentationNoticeContact, name)
		}
	}
	if html.Lookup("mail") == nil {
		return fmt.Errorf("mail composer: %s HTML templates define no \"mail\"", documentationNoticeContact)
	}
	c.docText, c.docHTML = txt, html
	return nil
}

// DocumentationURL is the public page of a meeting's documentation.
func (c *Composer) DocumentationURL(eventID int64) string {
	return fmt.Sprintf("%s/events/%d#h-doku", c.baseURL, eventID)
}

// ComposeDocumentationNotice renders the notice that ev's documentation
// doc is online to the participant reg, whose manage link (reg.ManageToken,
// issued for this mail) opens the documentation with the materials for
// participants; schedule and muni are as for Compose. Nobody gets a copy:
// the link is the person's own.
func (c *Composer) ComposeDocumentationNotice(msg outbox.Message, ev event.Event, schedule event.Schedule, doc archive.Summary, reg registration.Registration, muni *municipality.Municipality) (*Envelope, error) {
	if msg.Kind != outbox.DocumentationNotice || msg.CopyOf != nil || msg.ContactID != nil {
		return nil, fmt.Errorf("compose mail %d: not a documentation notice to a participant", msg.ID)
	}
	if len(schedule) == 0 {
		schedule = ev.Schedule(nil)
	}
	to := msg.Recipient
	if to == "" {
		to = reg.Email
	}
	data := c.data(msg, &ev, schedule, &reg, muni, 0)
	data.DocumentationOf, data.DocumentationURL = ev.DesName(), c.DocumentationURL(ev.ID)
	data.Teaser, data.ParticipantMaterials = strings.TrimSpace(doc.Teaser), doc.ParticipantMaterials
	if reg.ManageToken != "" {
		data.Link = data.ManageURL + "/dokumentation"
	}
	data.LinkLabel = "Dokumentation für Teilnehmende"
	subject, text, html, err := c.render(msg.Kind, data)
	if err != nil {
		return nil, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	return &Envelope{From: c.from, To: netmail.Address{Name: reg.FullName(), Address: to},
		Subject: subject, TextBody: text, HTMLBody: html, MessageID: c.MessageID(msg.ID)}, nil
}

// docContactData is what the notice to a contact shows.
type docContactData struct {
	Subject, Greeting                 string
	DocumentationOf, DocumentationURL string
	Teaser                            string
	EventName, Subtitle, Motto        string
	MultiDay                          bool
	DateLines, PlaceLines             []string
	Municipality, Function            string
	UnsubscribeURL, PrivacyURL        string
}

// ComposeDocumentationNoticeToContact renders the notice that ev's
// documentation is online to a network contact of muni: the public page
// only, and token, the contact's fresh unsubscribe link, in the text and
// in List-Unsubscribe (one click, RFC 8058).
func (c *Composer) ComposeDocumentationNoticeToContact(msg outbox.Message, ev event.Event, schedule event.Schedule, doc archive.Summary, ct contact.Contact, muni municipality.Municipality, token string) (*Envelope, error) {
	if msg.Kind != outbox.DocumentationNotice || msg.ContactID == nil {
		return nil, fmt.Errorf("compose mail %d: not a documentation notice to a contact", msg.ID)
	}
	if token == "" {
		return nil, fmt.Errorf("compose mail %d: no unsubscribe link", msg.ID)
	}
	if len(schedule) == 0 {
		schedule = ev.Schedule(nil)
	}
	d := &docContactData{
		Greeting:         "Guten Tag " + ct.Name,
		DocumentationOf:  ev.DesName(),
		DocumentationURL: c.DocumentationURL(ev.ID),
		Teaser:           strings.TrimSpace(doc.Teaser),
		EventName:        ev.Name(),
		Subtitle:         ev.Subtitle(),
		Motto:            ev.Motto,
		MultiDay:         len(ev.Days) > 1,
		DateLines:        schedule.Lines(),
		PlaceLines:       ev.VenueLines(),
		Municipality:     muni.Name,
		Function:         ct.Function,
		UnsubscribeURL:   c.UnsubscribeURL(token),
		PrivacyURL:       c.baseURL + "/datenschutz",
	}
	if strings.TrimSpace(ct.Name) == "" {
		d.Greeting = "Guten Tag"
	}
	var b strings.Builder
	if err := c.docText.ExecuteTemplate(&b, "subject", d); err != nil {
		return nil, fmt.Errorf("compose documentation notice %d: subject: %w", msg.ID, err)
	}
	d.Subject = strings.Join(strings.Fields(b.String()), " ")
	b.Reset()
	if err := c.docText.ExecuteTemplate(&b, "mail", d); err != nil {
		return nil, fmt.Errorf("compose documentation notice %d: text: %w", msg.ID, err)
	}
	text := tidyText(b.String())
	b.Reset()
	if err := c.docHTML.ExecuteTemplate(&b, "mail", d); err != nil {
		return nil, fmt.Errorf("compose documentation notice %d: HTML: %w", msg.ID, err)
	}
	return &Envelope{From: c.from, To: netmail.Address{Name: ct.Name, Address: ct.Email}, Subject: d.Subject,
		TextBody: text, HTMLBody: b.String(), MessageID: c.MessageID(msg.ID), ListUnsubscribe: d.UnsubscribeURL}, nil
}

// composeDocumentationNotice renders the notice that a documentation is
// online, looking at it as it is now: not sent when the documentation
// was withdrawn, the registration is no longer confirmed or the contact
// unsubscribed.
func (w *Worker) composeDocumentationNotice(ctx context.Context, m outbox.Message) (*Envelope, error) {
	if m.EventID == nil {
		return nil, fmt.Errorf("%w: documentation notice %d names no meeting", errPermanent, m.ID)
	}
	if m.RegistrationID == nil && m.ContactID == nil {
		return nil, nothingToSend("Nicht gesendet: Der Kontakt wurde gelöscht.")
	}
	ev, err := w.loader.Event(ctx, *m.EventID)
	if err != nil {
		return nil, err
	}
	doc, err := w.loader.DocumentationSummary(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	if !doc.Published() {
		return nil, nothingToSend("Nicht gesendet: Die Dokumentation ist nicht mehr veröffentlicht.")
	}
	hours, err := w.loader.ProgrammeHours(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	schedule := ev.Schedule(hours)
	var env *Envelope
	if m.ContactID != nil {
		ct, err := w.loader.Contact(ctx, *m.ContactID)
		if err != nil {
			return nil, err
		}
		if !ct.Subscribed() {
			return nil, nothingToSend("Nicht gesendet: Der Kontakt hat sich abgemeldet.")
		}
		muni, err := w.loader.Municipality(ctx, ct.MunicipalityID)
		if err != nil {
			return nil, err
		}
		token, err := w.loader.UnsubscribeLink(ctx, ct.ID)
		if err != nil {
			return nil, err
		}
		env, err = w.composer.ComposeDocumentationNoticeToContact(m, ev, schedule, doc, ct, muni, token)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errPermanent, err)
		}
		return env, nil
	}
	reg, err := w.loader.Registration(ctx, *m.RegistrationID)
	if err != nil {
		return nil, err
	}
	if reg.Status != registration.Confirmed {
		return nil, nothingToSend("Nicht gesendet: Die Anmeldung ist nicht mehr bestätigt (" + reg.Status.Label() + ").")
	}
	muni, err := w.municipalityOf(ctx, reg)
	if err != nil {
		return nil, err
	}
	if reg.ManageToken, err = w.loader.ManageLink(ctx, reg.ID); err != nil {
		return nil, err
	}
	if env, err = w.composer.ComposeDocumentationNotice(m, ev, schedule, doc, reg, muni); err != nil {
		return nil, fmt.Errorf("%w: %w", errPermanent, err)
	}
	return env, nil
}
