// Package message holds the organisers' messages to the registrants of a
// meeting: a subject and a text with the documentation report's simple
// formatting, optional PDF attachments and the programme, sent to an
// audience chosen by a filter. Sending writes one outbox mail per
// recipient in the same transaction; the mail worker renders each with
// the person's greeting and manage link when it sends it.
package message

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Limits of a message.
const (
	MaxAttachments = 3       // uploaded PDFs per message
	MaxSubject     = 200     // characters
	MaxBody        = 100_000 // characters
)

// ProgrammeFile is the name of the programme PDF a message may carry.
const ProgrammeFile = "programm.pdf"

// Status says whether a message is still composed or went out.
type Status string

// States of a message.
const (
	Draft Status = "draft" // composed, its files kept between preview and send
	Sent  Status = "sent"  // its mails are queued
)

// Filter chooses the registrations a message goes to; zero values
// choose all. Cancelled registrations never receive a message.
type Filter struct {
	// Status is registration.Confirmed or registration.Waitlisted; ""
	// for both.
	Status         registration.Status `json:"status,omitempty"`
	WorkingGroupID *int64              `json:"working_group_id,omitempty"` // assigned to this group
	MunicipalityID *int64              `json:"municipality_id,omitempty"`
	// Day: registered for this day (a registration without days attends
	// all); with CheckedIn, checked in on this day.
	Day day.Date `json:"day,omitzero"`
	// CheckedIn: true checked in (on Day, or on any day of the meeting),
	// false not; nil either.
	CheckedIn *bool `json:"checked_in,omitempty"`
}

// Validate reports a filter that cannot be applied.
func (f Filter) Validate() error {
	switch f.Status {
	case "", registration.Confirmed, registration.Waitlisted:
	default:
		return &problem.Error{Code: problem.Invalid,
			Message: fmt.Sprintf("Unbekannter Anmeldestatus „%s“: erlaubt sind bestätigt (confirmed), Warteliste (waitlisted) oder beide (leer).", f.Status),
			Fields:  map[string]string{"status": "Bitte wählen Sie bestätigt, Warteliste oder beide."}}
	}
	return nil
}

// Names are what a filter's ids stand for, to say an audience in words.
type Names struct {
	WorkingGroup string
	Municipality string
}

// Describe says in German whom the filter chooses: "Bestätigte
// Anmeldungen · Kommune: Stadt Ahlen · Arbeitsgruppe: Kinderarmut".
func (f Filter) Describe(n Names) string {
	parts := []string{"Alle Anmeldungen (bestätigt und Warteliste)"}
	switch f.Status {
	case registration.Confirmed:
		parts[0] = "Bestätigte Anmeldungen"
	case registration.Waitlisted:
		parts[0] = "Warteliste"
	}
	if f.MunicipalityID != nil {
		parts = append(parts, "Kommune: "+n.Municipality)
	}
	if f.WorkingGroupID != nil {
		parts = append(parts, "Arbeitsgruppe: "+n.WorkingGroup)
	}
	if !f.Day.IsZero() {
		parts = append(parts, "Tag: "+f.Day.German())
	}
	if f.CheckedIn != nil {
		when := ""
		if !f.Day.IsZero() {
			when = " an diesem Tag"
		}
		if *f.CheckedIn {
			parts = append(parts, "eingecheckt"+when)
		} else {
			parts = append(parts, "nicht eingecheckt"+when)
		}
	}
	return strings.Join(parts, " · ")
}

// Message is one message to a meeting's registrants.
type Message struct {
	ID               int64      `json:"id"`
	EventID          int64      `json:"event_id"`
	FormKey          string     `json:"-"`
	Status           Status     `json:"status"`
	Subject          string     `json:"subject"`
	Body             string     `json:"text"`
	IncludeProgramme bool       `json:"include_programme"`
	Filter           Filter     `json:"filter"`
	Audience         string     `json:"audience"` // the filter in words, as it was when sent
	Recipients       int        `json:"recipients"`
	CreatedByUserID  *int64     `json:"created_by_user_id,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	SentAt           *time.Time `json:"sent_at"`
	// Attachments are the uploaded files, without their data.
	Attachments []Attachment `json:"attachments" gorm:"-"`
}

// TableName keeps the table name explicit.
func (Message) TableName() string { return "event_messages" }

// HTML is the text rendered as safe HTML (the documentation report's
// formatting); the mail's text part is the text itself.
func (m Message) HTML() template.HTML { return archive.RenderReport(m.Body) }

// Files lists the names of everything the message carries: the
// programme first, then the uploads.
func (m Message) Files() []string {
	var out []string
	if m.IncludeProgramme {
		out = append(out, ProgrammeFile)
	}
	for _, a := range m.Attachments {
		out = append(out, a.Filename)
	}
	return out
}

// Attachment is an uploaded PDF of a message.
type Attachment struct {
	ID             int64     `json:"id"`
	EventMessageID int64     `json:"-"`
	Filename       string    `json:"filename"`
	Size           int64     `json:"size"`
	Data           []byte    `json:"-"`
	CreatedAt      time.Time `json:"created_at"`
}

// SizeLabel is the size for people: "340 KB", "2,5 MB".
func (a Attachment) SizeLabel() string {
	if a.Size < 1<<20 {
		return fmt.Sprintf("%d KB", max(1, (a.Size+512)>>10))
	}
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(a.Size)/(1<<20)), ".", ",", 1)
}

// TableName keeps the table name explicit.
func (Attachment) TableName() string { return "event_message_attachments" }

// Input is what an organiser writes.
type Input struct {
	Subject          string `json:"subject"`
	Text             string `json:"text"`
	Filter           Filter `json:"filter"`
	IncludeProgramme bool   `json:"include_programme"`
}

// Validate checks subject and text; fields are keyed by form name.
func (in Input) Validate() error {
	fields := map[string]string{}
	subject := strings.TrimSpace(in.Subject)
	switch {
	case subject == "":
		fields["subject"] = "Bitte geben Sie einen Betreff ein."
	case len([]rune(subject)) > MaxSubject:
		fields["subject"] = fmt.Sprintf("Der Betreff ist zu lang: höchstens %d Zeichen.", MaxSubject)
	case strings.ContainsAny(subject, "\r\n"):
		fields["subject"] = "Der Betreff muss in eine Zeile passen."
	}
	switch {
	case strings.TrimSpace(in.Text) == "":
		fields["text"] = "Bitte schreiben Sie einen Text."
	case len([]rune(in.Text)) > MaxBody:
		fields["text"] = fmt.Sprintf("Der Text ist zu lang: höchstens %d Zeichen.", MaxBody)
	}
	if err := in.Filter.Validate(); err != nil {
		return err
	}
	if len(fields) > 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.", Fields: fields}
	}
	return nil
}

// Upload is a file an organiser attaches, checked by NewUpload.
type Upload struct {
	Filename string
	Data     []byte
}

// NewUpload checks an uploaded file: a PDF (by its first bytes, not its
// name) of at most maxBytes.
func NewUpload(filename string, data []byte, maxBytes int64) (Upload, error) {
	name := cleanFilename(filename)
	if int64(len(data)) > maxBytes {
		return Upload{}, &problem.Error{Code: problem.TooLarge,
			Message: fmt.Sprintf("„%s“ ist zu groß: erlaubt sind höchstens %d MB je Datei.", name, maxBytes>>20),
			Fields:  map[string]string{"files": fmt.Sprintf("Höchstens %d MB je Datei.", maxBytes>>20)}}
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return Upload{}, &problem.Error{Code: problem.UnsupportedType,
			Message: fmt.Sprintf("„%s“ ist keine PDF-Datei. Anhängen lassen sich nur PDF-Dateien.", name),
			Fields:  map[string]string{"files": "Nur PDF-Dateien."}}
	}
	return Upload{Filename: name, Data: data}, nil
}

// cleanFilename keeps the base name of an upload, without path or
// characters that would break a mail header, ending in .pdf.
func cleanFilename(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" {
		name = "anhang.pdf"
	}
	if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
		name += ".pdf"
	}
	if r := []rune(name); len(r) > 120 {
		name = string(r[len(r)-120:])
	}
	return name
}
