// Package outbox is the durable queue of notifications to participants.
// A message is written in the same transaction as the change it reports,
// so a crash or a mail outage never loses it; the mail worker sends it.
package outbox

import "time"

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
	ManageLink           Kind = "manage_link"    // the manage link again, on request
	Assignment           Kind = "assignment"     // the person's working groups and rooms
	Certificate          Kind = "certificate"    // certificate of attendance (PDF), on request
	Invitation           Kind = "invitation"     // account invitation, rendered when queued
	PasswordReset        Kind = "password_reset" // password reset link, rendered when queued

	// Mails to the network's contacts (ContactID set), once per contact
	// and meeting each.
	EventInvitation Kind = "event_invitation" // invitation to a meeting
	FollowUp        Kind = "follow_up"        // "Erinnerung an die Anmeldung" to municipalities without registration
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
	ContactID      *int64     `json:"contact_id,omitempty"` // a network contact: invitations and follow-ups
	CopyOf         *int64     `json:"copy_of,omitempty"`    // the message this is a coordinator's copy of
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
	CreatedAt      time.Time  `json:"created_at"`
	SentAt         *time.Time `json:"sent_at"`
	// CalendarSequence is the SEQUENCE of the calendar entry the message
	// carries, set when it is rendered (Store.CalendarSequence).
	CalendarSequence int `json:"-" gorm:"-"`
}

// CarriesCalendar reports whether a kind of mail carries a calendar
// entry (an invitation or its cancellation).
func (k Kind) CarriesCalendar() bool {
	switch k {
	case Confirmation, Promotion, Cancellation, Reinstated:
		return true
	}
	return false
}

// TableName keeps the table name explicit.
func (Message) TableName() string { return "mail_outbox" }
