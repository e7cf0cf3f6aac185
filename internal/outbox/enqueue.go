package outbox

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Enqueue writes a pending message inside the caller's transaction tx, so
// the message exists exactly when the change it reports was committed.
func Enqueue(tx *gorm.DB, kind Kind, eventID, registrationID int64, recipient string, now time.Time) error {
	m := Message{
		Kind:           kind,
		EventID:        &eventID,
		RegistrationID: &registrationID,
		Recipient:      recipient,
		Status:         Pending,
		NextAttemptAt:  now.UTC(),
	}
	if err := tx.Create(&m).Error; err != nil {
		return fmt.Errorf("enqueue %s mail for registration %d: %w", kind, registrationID, err)
	}
	return nil
}

// Rendered is an account mail written in full when queued.
type Rendered struct {
	Kind      Kind
	UserID    int64
	Recipient string
	Subject   string
	TextBody  string
	HTMLBody  string
}

// EnqueueRendered writes a pending account mail inside tx.
func EnqueueRendered(tx *gorm.DB, r Rendered, now time.Time) error {
	if !r.Kind.Prerendered() {
		return fmt.Errorf("enqueue %s: not an account mail", r.Kind)
	}
	m := Message{Kind: r.Kind, UserID: &r.UserID, Recipient: r.Recipient, Status: Pending, NextAttemptAt: now.UTC(),
		Subject: r.Subject, TextBody: r.TextBody, HTMLBody: r.HTMLBody}
	if err := tx.Create(&m).Error; err != nil {
		return fmt.Errorf("enqueue %s mail for user %d: %w", r.Kind, r.UserID, err)
	}
	return nil
}

// EnqueueContact writes a pending mail of kind (EventInvitation or
// FollowUp) to a network contact about a meeting inside tx, unless one of
// that kind was queued for the contact and meeting before: it reports
// whether it queued one. The unique key behind it holds across
// concurrent senders and app instances.
func EnqueueContact(tx *gorm.DB, kind Kind, eventID, contactID int64, recipient string, now time.Time) (bool, error) {
	if !kind.ToContact() {
		return false, fmt.Errorf("enqueue %s: not a mail to a contact", kind)
	}
	m := Message{Kind: kind, EventID: &eventID, ContactID: &contactID, Recipient: recipient, Status: Pending, NextAttemptAt: now.UTC()}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&m)
	if res.Error != nil {
		return false, fmt.Errorf("enqueue %s mail for contact %d: %w", kind, contactID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// EnqueueOnce writes a pending registration mail inside tx unless the
// same one was queued before, and reports whether it queued it: a
// Reminder is the same when it names the same registration and number
// of days (ReminderDays), a ChangeNotice or EventCancelled when it names
// the same registration and change (ChangeID). The unique keys behind it
// hold across concurrent schedulers and app instances.
func EnqueueOnce(tx *gorm.DB, m Message, now time.Time) (bool, error) {
	if m.RegistrationID == nil || m.EventID == nil || (m.ReminderDays == nil && m.ChangeID == nil) {
		return false, fmt.Errorf("enqueue %s once: registration, meeting and reminder days or change are required", m.Kind)
	}
	m.ID, m.Status, m.NextAttemptAt, m.CopyOf = 0, Pending, now.UTC(), nil
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&m)
	if res.Error != nil {
		return false, fmt.Errorf("enqueue %s mail for registration %d: %w", m.Kind, *m.RegistrationID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// EnqueueRegistrationChanged writes the confirmation of a person's own
// change inside tx; daysChanged adds the calendar update.
func EnqueueRegistrationChanged(tx *gorm.DB, eventID, registrationID int64, recipient string, daysChanged bool, now time.Time) error {
	m := Message{Kind: RegistrationChanged, EventID: &eventID, RegistrationID: &registrationID, Recipient: recipient,
		Status: Pending, NextAttemptAt: now.UTC(), DaysChanged: daysChanged}
	if err := tx.Create(&m).Error; err != nil {
		return fmt.Errorf("enqueue %s mail for registration %d: %w", m.Kind, registrationID, err)
	}
	return nil
}

// EnqueueDocumentationNotice writes a pending DocumentationNotice about
// a meeting inside tx, to a registration or (registrationID 0) to a
// network contact, unless one was queued for them before: it reports
// whether it queued one. The unique keys behind it hold across
// concurrent senders and app instances.
func EnqueueDocumentationNotice(tx *gorm.DB, eventID, registrationID, contactID int64, recipient string, now time.Time) (bool, error) {
	m := Message{Kind: DocumentationNotice, EventID: &eventID, Recipient: recipient, Status: Pending, NextAttemptAt: now.UTC()}
	switch {
	case registrationID != 0 && contactID == 0:
		m.RegistrationID = &registrationID
	case registrationID == 0 && contactID != 0:
		m.ContactID = &contactID
	default:
		return false, fmt.Errorf("enqueue %s: a registration or a contact is required", m.Kind)
	}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&m)
	if res.Error != nil {
		return false, fmt.Errorf("enqueue %s mail to %s: %w", m.Kind, recipient, res.Error)
	}
	return res.RowsAffected == 1, nil
}
