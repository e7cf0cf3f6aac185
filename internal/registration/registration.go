// Package registration holds one person's registration for one meeting and
// the rules that decide who gets a place: capacity, quota per
// municipality, waiting list and deadline.
package registration

import (
	"time"

	"github.com/isa-nrw/treffen/internal/day"
)

// Status is the state of a registration.
type Status string

// Statuses of a registration.
const (
	Pending    Status = "pending" // waits for an organiser's approval; holds no place
	Confirmed  Status = "confirmed"
	Waitlisted Status = "waitlisted"
	Cancelled  Status = "cancelled"
	Declined   Status = "declined" // refused by an organiser while pending
)

// Statuses lists all statuses in display order.
var Statuses = []Status{Pending, Confirmed, Waitlisted, Cancelled, Declined}

// Active reports whether the registration still stands: pending,
// confirmed or waiting. Cancelled and declined ones are kept for the
// record only.
func (s Status) Active() bool { return s == Pending || s == Confirmed || s == Waitlisted }

// Label is the German name.
func (s Status) Label() string {
	switch s {
	case Confirmed:
		return "Bestätigt"
	case Waitlisted:
		return "Warteliste"
	case Cancelled:
		return "Storniert"
	case Pending:
		return "In Prüfung"
	case Declined:
		return "Abgelehnt"
	}
	return string(s)
}

// Registration is one person's registration for one meeting.
type Registration struct {
	ID                 int64     `json:"id"`
	EventID            int64     `json:"event_id"`
	Salutation         string    `json:"salutation"`     // "Frau", "Herr", "" (keine Angabe)
	AcademicTitle      string    `json:"academic_title"` // "Dr.", "Prof. Dr."
	FirstName          string    `json:"first_name"`
	LastName           string    `json:"last_name"`
	Email              string    `json:"email"`
	Phone              string    `json:"phone"`
	MunicipalityID     *int64    `json:"municipality_id"`
	Organisation       string    `json:"organisation"` // guests without a municipality
	Function           string    `json:"function"`     // "Jugendamt, Jugendhilfeplanung"
	Days               day.List  `json:"days" gorm:"type:text"`
	DietaryNeeds       string    `json:"dietary_needs"`
	AccessibilityNeeds string    `json:"accessibility_needs"`
	PhotoConsent       bool      `json:"photo_consent"`
	PrivacyConsentAt   time.Time `json:"privacy_consent_at"`
	Status             Status    `json:"status"`
	// ManageToken is the secret of a manage link issued by this call
	// (Register, IssueManageLink); only its hash is stored.
	ManageToken        string     `json:"-" gorm:"-"`
	CheckinCode        string     `json:"checkin_code"` // printed as QR code on the badge
	WalkIn             bool       `json:"walk_in"`      // registered at the door
	RegisteredByUserID *int64     `json:"registered_by_user_id,omitempty"`
	PromotedAt         *time.Time `json:"promoted_at,omitempty"`
	CancelledAt        *time.Time `json:"cancelled_at,omitempty"`
	DeclinedAt         *time.Time `json:"declined_at,omitempty"`
	DeclineReason      string     `json:"decline_reason,omitempty"` // the organiser's reason, told to the person
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

// FullName is "Dr. Erika Mustermann".
func (r Registration) FullName() string {
	name := r.FirstName + " " + r.LastName
	if r.AcademicTitle != "" {
		name = r.AcademicTitle + " " + name
	}
	return name
}

// SortName is "Mustermann, Erika" for lists.
func (r Registration) SortName() string { return r.LastName + ", " + r.FirstName }

// Greeting is the German salutation line of a letter.
func (r Registration) Greeting() string {
	title := ""
	if r.AcademicTitle != "" {
		title = r.AcademicTitle + " "
	}
	switch r.Salutation {
	case "Frau":
		return "Sehr geehrte Frau " + title + r.LastName
	case "Herr":
		return "Sehr geehrter Herr " + title + r.LastName
	}
	return "Guten Tag " + title + r.FirstName + " " + r.LastName
}
