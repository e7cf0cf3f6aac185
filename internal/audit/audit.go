// Package audit records who changed what: registration changes and
// cancellations, accounts and roles, exports. Entries are written in the
// same transaction as the change they describe.
package audit

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Actor is who did something: a logged-in user, a participant through
// their manage link, or the system itself.
type Actor struct {
	UserID *int64
	Label  string // the user's email, "Teilnehmerlink", "System"
}

// System is the service acting by itself (e.g. promotions).
var System = Actor{Label: "System"}

// Participant is a person acting through their secret manage link.
var Participant = Actor{Label: "Teilnehmerlink"}

// User is a logged-in user.
func User(id int64, email string) Actor { return Actor{UserID: &id, Label: email} }

// Action names what happened.
type Action string

// Actions recorded.
const (
	RegistrationCreated   Action = "registration.created"
	RegistrationUpdated   Action = "registration.updated"
	RegistrationCancelled Action = "registration.cancelled"
	RegistrationPromoted  Action = "registration.promoted"
	RegistrationApproved  Action = "registration.approved"
	RegistrationDeclined  Action = "registration.declined"
	UserInvited           Action = "user.invited"
	UserRoleChanged       Action = "user.role_changed"
	UserPasswordSet       Action = "user.password_set"
	HostAssigned          Action = "host.assigned"
	HostRemoved           Action = "host.removed"
	TokenCreated          Action = "token.created"
	TokenRevoked          Action = "token.revoked"
	Export                Action = "export"
	AssignmentSaved       Action = "assignment.saved"
	AssignmentMoved       Action = "assignment.moved"
	AssignmentMailed      Action = "assignment.mailed"
	DocumentationSaved    Action = "documentation.saved"
	DocumentationDeleted  Action = "documentation.deleted"
	MaterialAdded         Action = "material.added"
	MaterialDeleted       Action = "material.deleted"
	// RegistrationReinstated: a cancellation was taken back.
	RegistrationReinstated Action = "registration.reinstated"

	PrivacyExported    Action = "privacy.exported"       // an organiser exported a person's data
	PrivacyErased      Action = "privacy.erased"         // an organiser erased a person in every meeting
	PrivacyDeleted     Action = "privacy.deleted"        // a participant had their registration erased
	PrivacyAnonymised  Action = "privacy.anonymised"     // the retention run anonymised a meeting
	PrivacyAccountGone Action = "privacy.account_erased" // a person's account was erased with them

	ContactCreated      Action = "contact.created"
	ContactUpdated      Action = "contact.updated"
	ContactDeleted      Action = "contact.deleted"
	ContactsImported    Action = "contact.imported"
	ContactResubscribed Action = "contact.resubscribed" // opted in again after unsubscribing
	InvitationsSent     Action = "invitation.sent"      // invitations to the network queued
	FollowUpsSent       Action = "invitation.follow_up" // follow-ups to municipalities without registration queued

	DocumentationNoticeSent Action = "documentation.notice_sent" // "Dokumentation online" queued to participants (and contacts)

	MediaAdded         Action = "media.added"
	MediaChanged       Action = "media.changed"
	MediaDeleted       Action = "media.deleted"
	MediaAdopted       Action = "media.adopted" // a video of a documentation moved into the Mediathek
	MediaSeriesSaved   Action = "media.series_saved"
	MediaSeriesDeleted Action = "media.series_deleted"
)

// Label is the German description.
func (a Action) Label() string {
	switch a {
	case DocumentationSaved:
		return "Dokumentation gespeichert"
	case DocumentationNoticeSent:
		return "Benachrichtigung „Dokumentation online“ versandt"
	case DocumentationDeleted:
		return "Dokumentation gelöscht"
	case MaterialAdded:
		return "Material hinzugefügt"
	case MaterialDeleted:
		return "Material gelöscht"
	case MediaAdded:
		return "Mediathek: Eintrag angelegt"
	case MediaChanged:
		return "Mediathek: Eintrag geändert"
	case MediaDeleted:
		return "Mediathek: Eintrag gelöscht"
	case MediaAdopted:
		return "Video aus der Dokumentation in die Mediathek übernommen"
	case MediaSeriesSaved:
		return "Mediathek: Reihe gespeichert"
	case MediaSeriesDeleted:
		return "Mediathek: Reihe gelöscht"
	case RegistrationCreated:
		return "Anmeldung angelegt"
	case RegistrationUpdated:
		return "Anmeldung geändert"
	case RegistrationCancelled:
		return "Anmeldung storniert"
	case RegistrationPromoted:
		return "Von der Warteliste nachgerückt"
	case RegistrationApproved:
		return "Anmeldung angenommen"
	case RegistrationDeclined:
		return "Anmeldung abgelehnt"
	case RegistrationReinstated:
		return "Stornierung zurückgenommen"
	case UserInvited:
		return "Konto eingeladen"
	case UserRoleChanged:
		return "Rolle geändert"
	case UserPasswordSet:
		return "Passwort gesetzt"
	case HostAssigned:
		return "Gastgeber zugeordnet"
	case HostRemoved:
		return "Gastgeber entfernt"
	case TokenCreated:
		return "API-Token erstellt"
	case TokenRevoked:
		return "API-Token widerrufen"
	case Export:
		return "Export"
	case AssignmentSaved:
		return "Zuteilung zu Arbeitsgruppen gespeichert"
	case AssignmentMoved:
		return "Zuteilung von Hand geändert"
	case AssignmentMailed:
		return "Zuteilung per E-Mail versandt"
	case PrivacyExported:
		return "Datenauskunft exportiert"
	case PrivacyErased:
		return "Personendaten gelöscht"
	case PrivacyDeleted:
		return "Löschung durch Teilnehmende"
	case PrivacyAnonymised:
		return "Anonymisiert nach Aufbewahrungsfrist"
	case PrivacyAccountGone:
		return "Konto gelöscht"
	case ContactCreated:
		return "Kontakt angelegt"
	case ContactUpdated:
		return "Kontakt geändert"
	case ContactDeleted:
		return "Kontakt gelöscht"
	case ContactsImported:
		return "Kontakte importiert"
	case ContactResubscribed:
		return "Kontakt wieder für Einladungen angemeldet"
	case InvitationsSent:
		return "Einladungen versandt"
	case FollowUpsSent:
		return "Erinnerungen an die Anmeldung versandt"
	}
	return string(a)
}

// Entry is one line of the audit log.
type Entry struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	ActorUserID *int64    `json:"actor_user_id"`
	Actor       string    `json:"actor"`
	Action      Action    `json:"action"`
	ObjectType  string    `json:"object_type"` // "registration", "user", "event"
	ObjectID    int64     `json:"object_id"`
	EventID     *int64    `json:"event_id"`
	Details     string    `json:"details"`
}

// TableName sets the table.
func (Entry) TableName() string { return "audit_log" }

// Record writes an entry inside tx (the caller's transaction, or the
// plain database for changes without one).
func Record(tx *gorm.DB, actor Actor, action Action, objectType string, objectID int64, eventID *int64, details string) error {
	e := Entry{At: time.Now().UTC(), ActorUserID: actor.UserID, Actor: actor.Label, Action: action,
		ObjectType: objectType, ObjectID: objectID, EventID: eventID, Details: details}
	if e.Actor == "" {
		e.Actor = System.Label
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("audit %s %s %d: %w", action, objectType, objectID, err)
	}
	return nil
}

// Store reads the audit log.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Record writes an entry outside any other transaction.
func (s *Store) Record(ctx context.Context, actor Actor, action Action, objectType string, objectID int64, eventID *int64, details string) error {
	return Record(s.db.WithContext(ctx), actor, action, objectType, objectID, eventID, details)
}

// Filter narrows the log.
type Filter struct {
	EventID    int64
	ObjectType string
	ObjectID   int64
	Limit      int // default 500
}

// List returns entries newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Entry, error) {
	q := s.db.WithContext(ctx).Order("id DESC")
	if f.EventID != 0 {
		q = q.Where("event_id = ?", f.EventID)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ? AND object_id = ?", f.ObjectType, f.ObjectID)
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	var out []Entry
	if err := q.Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	return out, nil
}
