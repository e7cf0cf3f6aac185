package mail

import (
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	netmail "net/mail"
	"net/url"
	"strings"
	texttemplate "text/template"

	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
)

// contactKinds are the mails to the network's contacts; each has a text
// and an HTML template under mail/ framed by mail/network.{txt,html}.tmpl.
var contactKinds = [...]outbox.Kind{outbox.EventInvitation, outbox.FollowUp}

// networkData is what the templates of mails to contacts see.
type networkData struct {
	Subject      string
	Greeting     string // "Guten Tag Erika Müller"
	FollowUp     bool
	EventName    string
	Subtitle     string
	Motto        string
	Dates        string
	MultiDay     bool
	DateLines    []string
	PlaceLines   []string
	Deadline     string // "" without one
	Municipality string
	Function     string
	RegisterURL  string // the form with the municipality chosen
	EventURL     string
	// UnsubscribeURL is the personal link that ends the invitations.
	UnsubscribeURL string
	PrivacyURL     string
	Organiser      string
}

// parseNetwork parses the templates of the mails to contacts.
func (c *Composer) parseNetwork(fsys fs.FS) error {
	c.netText = map[outbox.Kind]*texttemplate.Template{}
	c.netHTML = map[outbox.Kind]*htmltemplate.Template{}
	for _, k := range contactKinds {
		txt, err := texttemplate.New(string(k)).Option("missingkey=error").
			ParseFS(fsys, "mail/network.txt.tmpl", "mail/"+string(k)+".txt.tmpl")
		if err != nil {
			return fmt.Errorf("mail composer: parse %s text: %w", k, err)
		}
		html, err := htmltemplate.New(string(k)).Option("missingkey=error").
			ParseFS(fsys, "mail/network.html.tmpl", "mail/"+string(k)+".html.tmpl")
		if err != nil {
			return fmt.Errorf("mail composer: parse %s HTML: %w", k, err)
		}
		for _, name := range []string{"network", "subject", "body", "closing"} {
			if txt.Lookup(name) == nil {
				return fmt.Errorf("mail composer: %s text templates define no %q", k, name)
			}
		}
		for _, name := range []string{"network", "body", "closing"} {
			if html.Lookup(name) == nil {
				return fmt.Errorf("mail composer: %s HTML templates define no %q", k, name)
			}
		}
		c.netText[k], c.netHTML[k] = txt, html
	}
	return nil
}

// RegisterURL is the registration form of a meeting with the
// municipality already chosen.
func (c *Composer) RegisterURL(eventID, municipalityID int64) string {
	return fmt.Sprintf("%s/events/%d/register?kommune=%d", c.baseURL, eventID, municipalityID)
}

// UnsubscribeURL is the address behind an unsubscribe link, for the mail
// and its List-Unsubscribe header.
func (c *Composer) UnsubscribeURL(token string) string {
	return c.baseURL + "/abmelden/" + url.PathEscape(token)
}

// ComposeContact renders an invitation or follow-up (msg.Kind) about ev
// to a network contact of muni; schedule is as for Compose, token the
// contact's fresh unsubscribe link. The mail carries List-Unsubscribe
// with one-click unsubscription (RFC 8058).
func (c *Composer) ComposeContact(msg outbox.Message, ev event.Event, schedule event.Schedule, ct contact.Contact, muni municipality.Municipality, token string) (*Envelope, error) {
	txt, ok := c.netText[msg.Kind]
	if !ok {
		return nil, fmt.Errorf("compose mail %d: %q is not a mail to a contact", msg.ID, msg.Kind)
	}
	if token == "" {
		return nil, fmt.Errorf("compose mail %d: no unsubscribe link", msg.ID)
	}
	if len(schedule) == 0 {
		schedule = ev.Schedule(nil)
	}
	d := &networkData{
		Greeting:       "Guten Tag " + ct.Name,
		FollowUp:       msg.Kind == outbox.FollowUp,
		EventName:      ev.Name(),
		Subtitle:       ev.Subtitle(),
		Motto:          ev.Motto,
		Dates:          ev.Days.German(),
		MultiDay:       len(ev.Days) > 1,
		DateLines:      schedule.Lines(),
		PlaceLines:     ev.VenueLines(),
		Deadline:       ev.Deadline(),
		Municipality:   muni.Name,
		Function:       ct.Function,
		RegisterURL:    c.RegisterURL(ev.ID, muni.ID),
		EventURL:       fmt.Sprintf("%s/events/%d", c.baseURL, ev.ID),
		UnsubscribeURL: c.UnsubscribeURL(token),
		PrivacyURL:     c.baseURL + "/datenschutz",
		Organiser:      c.organiser,
	}
	if strings.TrimSpace(ct.Name) == "" {
		d.Greeting = "Guten Tag"
	}
	var b strings.Builder
	if err := txt.ExecuteTemplate(&b, "subject", d); err != nil {
		return nil, fmt.Errorf("compose %s mail %d: subject: %w", msg.Kind, msg.ID, err)
	}
	d.Subject = strings.Join(strings.Fields(b.String()), " ")
	b.Reset()
	if err := txt.ExecuteTemplate(&b, "network", d); err != nil {
		return nil, fmt.Errorf("compose %s mail %d: text: %w", msg.Kind, msg.ID, err)
	}
	text := tidyText(b.String())
	b.Reset()
	if err := c.netHTML[msg.Kind].ExecuteTemplate(&b, "network", d); err != nil {
		return nil, fmt.Errorf("compose %s mail %d: HTML: %w", msg.Kind, msg.ID, err)
	}
	return &Envelope{
		From:            c.from,
		To:              netmail.Address{Name: ct.Name, Address: ct.Email},
		Subject:         d.Subject,
		TextBody:        text,
		HTMLBody:        b.String(),
		MessageID:       c.MessageID(msg.ID),
		ListUnsubscribe: d.UnsubscribeURL,
	}, nil
}
