// Package outbox is the durable queue of notifications to participants.
// A message is written in the same transaction as the change it reports,
// so a crash or a mail outage never loses it; the mail worker sends it.
package outbox

import (
	"strings"
	"time"
)

// Kind says which notification a message is.
type Kind string

// Kinds of messages.
const (
	Confirmation Kind = "confirmation" // place confirmed on registration
	Waitlisted   Kind = "waitlisted"   // registered onto the waiting list
	Promotion    Kind = "promotion"    // moved from waiting list to confirmed
	Cancellation Kind = "cancellation" // registration cancelled
	// A cancellation taken back: the place confirmed again, or the
	// person back on the waiting list.
	Reinstated           Kind = "reinstated"
	ReinstatedWaitlisted Kind = "reinstated_waitlisted"
	UnderReview          Kind = "pending_approval" // registration waits for the organisers' approval
	Declined             Kind = "declined"         // registration declined by the organisers, with their reason
	ManageLink           Kind = "manage_link"      // the manage link again, on request
	Assignment           Kind = "assignment"       // the person's working groups and rooms
	Certificate          Kind = "certificate"      // certificate of attendance (PDF), on request
	Invitation           Kind = "invitation"       // account invitation, rendered when queued
	PasswordReset        Kind = "password_reset"   // password reset link, rendered when queued

	// Registration mails about the meeting drawing near or changing.
	Reminder            Kind = "reminder"             // ReminderDays before the first day; once per registration and number of days
	ChangeNotice        Kind = "change_notice"        // date, times or venue changed (ChangeID); once per registration and change
	EventCancelled      Kind = "event_cancelled"      // the meeting was cancelled (ChangeID); once per registration
	RegistrationChanged Kind = "registration_changed" // the person's own change (manage page, portal) confirmed

	// Mails to the network's contacts (ContactID set), once per contact
	// and meeting each.
	EventInvitation Kind = "event_invitation" // invitation to a meeting
	FollowUp        Kind = "follow_up"        // "Erinnerung an die Anmeldung" to municipalities without registration

	// An organiser's message to registrants (EventMessageID set), once
	// per message and registration.
	OrganiserMessage Kind = "message"

	// The notice that a meeting's online documentation is published: to a
	// participant (RegistrationID set, with their manage link) or a
	// network contact (ContactID set), once each per meeting.
	DocumentationNotice Kind = "documentation_notice"
	// The feedback survey after a meeting, with the person's one-time
	// link; the request once per registration, the reminder at most once.
	FeedbackRequest  Kind = "feedback_request"
	FeedbackReminder Kind = "feedback_reminder"
)

// ToContact reports whether the kind is a mail to a network contact.
func (k Kind) ToContact() bool { return k == EventInvitation || k == FollowUp }

// Prerendered reports whether the message's subject and bodies are
// written when it is queued: account mails carry a one-time link that is
// stored nowhere else.
func (k Kind) Prerendered() bool { return k == Invitation || k == PasswordReset }

// Label is the German name.
func (k Kind) Label() string {
	switch k {
	case Confirmation:
		return "Anmeldebestätigung"
	case Waitlisted:
		return "Warteliste"
	case Promotion:
		return "Nachrücken"
	case Cancellation:
		return "Stornierung"
	case UnderReview:
		return "Anmeldung in Prüfung"
	case Declined:
		return "Anmeldung abgelehnt"
	case Reinstated:
		return "Stornierung zurückgenommen"
	case ReinstatedWaitlisted:
		return "Stornierung zurückgenommen (Warteliste)"
	case ManageLink:
		return "Link zur Anmeldung"
	case Assignment:
		return "Arbeitsgruppen-Zuteilung"
	case Certificate:
		return "Teilnahmebescheinigung"
	case Invitation:
		return "Einladung zum Konto"
	case PasswordReset:
		return "Passwort zurücksetzen"
	case EventInvitation:
		return "Einladung zum Treffen"
	case FollowUp:
		return "Erinnerung an die Anmeldung"
	case OrganiserMessage:
		return "Nachricht"
	case Reminder:
		return "Erinnerung an die Veranstaltung"
	case ChangeNotice:
		return "Änderung der Veranstaltung"
	case EventCancelled:
		return "Absage der Veranstaltung"
	case RegistrationChanged:
		return "Änderung der Anmeldung"
	case DocumentationNotice:
		return "Dokumentation online"
	case FeedbackRequest:
		return "Befragung nach dem Treffen"
	case FeedbackReminder:
		return "Erinnerung an die Befragung"
	}
	return string(k)
}

// Status is the delivery state of a message.
type Status string

// Delivery states.
const (
	Pending Status = "pending" // waiting for its first or next attempt
	Sending Status = "sending" // claimed by a worker until LockedUntil
	Sent    Status = "sent"    // accepted by the SMTP server (or logged)
	Failed  Status = "failed"  // gave up after MaxAttempts; can be retried by hand
)

// Label is the German name.
func (s Status) Label() string {
	switch s {
	case Pending:
		return "Wartend"
	case Sending:
		return "Wird gesendet"
	case Sent:
		return "Versendet"
	case Failed:
		return "Fehlgeschlagen"
	}
	return string(s)
}

// Message is one queued notification. Subject and bodies are filled in
// when the worker renders it, so organisers can read what went out.
type Message struct {
	ID             int64      `json:"id"`
	Kind           Kind       `json:"kind"`
	EventID        *int64     `json:"event_id"`
	RegistrationID *int64     `json:"registration_id"`
	UserID         *int64     `json:"user_id"`
	ContactID      *int64     `json:"contact_id,omitempty"`       // a network contact: invitations and follow-ups
	CopyOf         *int64     `json:"copy_of,omitempty"`          // the message this is a coordinator's copy of
	EventMessageID *int64     `json:"event_message_id,omitempty"` // an organiser's message to registrants (kind Message)
	ReminderDays   *int       `json:"-"`                          // a Reminder: the number of days before the first day
	ChangeID       *int64     `json:"-"`                          // a ChangeNotice or EventCancelled: the meeting's change (event_changes)
	DaysChanged    bool       `json:"-"`                          // a RegistrationChanged: the days changed, so a calendar update goes with it
	Recipient      string     `json:"recipient"`
	Status         Status     `json:"status"`
	Attempts       int        `json:"attempts"`
	NextAttemptAt  time.Time  `json:"next_attempt_at"`
	LockedUntil    *time.Time `json:"-"`
	LastError      string     `json:"last_error"`
	Subject        string     `json:"subject"`
	TextBody       string     `json:"-"`
	HTMLBody       string     `json:"-"`
	MessageID      string     `json:"message_id"`
	Transport      string     `json:"transport"` // "smtp" or "log"
	// AttachmentNames are the file names of what the sent mail carried,
	// one a line; the files themselves are not kept.
	AttachmentNames string     `json:"-"`
	CreatedAt       time.Time  `json:"created_at"`
	SentAt          *time.Time `json:"sent_at"`
	// CalendarSequence is the SEQUENCE of the calendar entries the
	// message carries, set when it is rendered (Store.CalendarSequence).
	CalendarSequence int `json:"-" gorm:"-"`
}

// CarriesCalendar reports whether a kind of mail carries a calendar
// entry (an invitation or its cancellation).
func (k Kind) CarriesCalendar() bool {
	switch k {
	case Confirmation, Promotion, Cancellation, Reinstated, ChangeNotice, EventCancelled, RegistrationChanged:
		return true
	}
	return false
}

// Attachments returns the file names of the sent mail's attachments.
func (m Message) Attachments() []string {
	if m.AttachmentNames == "" {
		return nil
	}
	return strings.Split(m.AttachmentNames, "\n")
}

// Logged reports whether the mail went only to the log: no mail server
// was configured, so nobody received it.
func (m Message) Logged() bool { return m.Status == Sent && m.Transport == TransportLog }

// Transports a sent message can name.
const (
	TransportSMTP = "smtp"
	TransportLog  = "log" // no mail server configured: written to the log, not delivered
)

// TableName keeps the table name explicit.
func (Message) TableName() string { return "mail_outbox" }
