// Package privacy keeps the promises of the privacy notice: it exports
// what is stored about a person, erases a person on request, and
// anonymises the participants of meetings whose retention period is over,
// keeping the attendance numbers per municipality.
//
// It is a package of its own rather than part of registration because it
// cuts across several concepts (registrations, mails, working-group
// wishes, check-ins, accounts, the audit log); registration keeps only
// the one rule it owns: a withdrawn place goes to the waiting list.
package privacy

import (
	"strconv"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Placeholders written over personal data. The address keeps the
// registration id, so the unique index (one active registration per
// address and meeting) holds, and ends in .invalid, so no mail can ever
// reach anybody.
const (
	AnonymousFirstName = "Anonymisierte"
	AnonymousLastName  = "Person"
	anonymousActor     = "Teilnehmer/in (anonymisiert)"
	anonymousDetails   = "(anonymisiert)"
)

// AnonymousEmail is the placeholder address of registration id.
func AnonymousEmail(id int64) string {
	return "anonym-" + strconv.FormatInt(id, 10) + "@anonymisiert.invalid"
}

// Export is what is stored about one person: the answer to a request for
// access (Art. 15 DSGVO) and the data download (Art. 20).
type Export struct {
	GeneratedAt   time.Time      `json:"generated_at"`
	Email         string         `json:"email"`
	Controller    string         `json:"controller"`
	Registrations []Registration `json:"registrations"`
	Account       *Account       `json:"account,omitempty"`
	// Contacts are the person's entries as a network contact who
	// receives invitations, one per municipality.
	Contacts []Contact `json:"network_contacts,omitempty"`
}

// Contact is the person as a contact of a municipality, with the
// invitations and follow-ups sent to them.
type Contact struct {
	ID             int64      `json:"id"`
	Municipality   string     `json:"municipality"`
	Name           string     `json:"name"`
	Function       string     `json:"function"`
	UnsubscribedAt *time.Time `json:"unsubscribed_at"`
	CreatedAt      time.Time  `json:"created_at"`
	Mails          []Mail     `json:"mails"`
}

// Registration is one registration with everything attached to it.
type Registration struct {
	Registration registration.Registration `json:"registration"`
	Municipality string                    `json:"municipality"`
	Meeting      Meeting                   `json:"meeting"`
	Wishes       []Wish                    `json:"working_group_wishes"`
	Assignments  []Assignment              `json:"working_group_assignments"`
	CheckIns     []CheckIn                 `json:"check_ins"`
	Mails        []Mail                    `json:"mails"`
	Answers      []Answer                  `json:"answers"`
}

// Answer is the answer to one of the meeting's own questions.
type Answer struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Meeting names the meeting of a registration.
type Meeting struct {
	ID    int64    `json:"id"`
	Name  string   `json:"name"`
	Days  day.List `json:"days"`
	Place string   `json:"place"`
}

// Wish is one ranked working-group wish.
type Wish struct {
	Rank         int    `json:"rank"`
	WorkingGroup string `json:"working_group"`
}

// Assignment is the working group the person was placed in for a slot.
type Assignment struct {
	WorkingGroup string `json:"working_group"`
	Room         string `json:"room"`
	Day          string `json:"day"`
	StartsAt     string `json:"starts_at"`
	Role         string `json:"role,omitempty"`
}

// CheckIn is one day the person was checked in at the door.
type CheckIn struct {
	Day         string    `json:"day"`
	CheckedInAt time.Time `json:"checked_in_at"`
}

// Mail is one mail sent (or queued) to the person. Copies to the
// coordination of the municipality are marked; their address is not the
// person's and is left out.
type Mail struct {
	Kind      string     `json:"kind"`
	Subject   string     `json:"subject"`
	Status    string     `json:"status"`
	Recipient string     `json:"recipient,omitempty"`
	Copy      bool       `json:"copy_to_coordination,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// Account is a login of the person (host or coordinator).
type Account struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	Municipality string    `json:"municipality,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	HostOf       []int64   `json:"host_of_event_ids,omitempty"`
}

// Erasure reports what an erasure did.
type Erasure struct {
	Registrations  []int64 `json:"registrations"`   // anonymised
	Cancelled      []int64 `json:"cancelled"`       // were active and gave up their place
	AccountErased  *int64  `json:"account_erased"`  // the person's login, deleted
	AccountKept    string  `json:"account_kept"`    // why an account was not deleted
	MailsDropped   int     `json:"mails_dropped"`   // queued mails that will not go out
	ContactsErased []int64 `json:"contacts_erased"` // entries as a network contact, deleted
	AttendanceKept bool    `json:"attendance_kept"` // municipality, status, days and check-ins stay, anonymous
}

// DueMeeting is a meeting due for anonymisation, or anonymised by a run.
type DueMeeting struct {
	EventID       int64    `json:"event_id"`
	Name          string   `json:"name"`
	Days          day.List `json:"days"`
	Registrations int      `json:"registrations"`
}

// Run reports one retention run.
type Run struct {
	Cutoff   day.Date     `json:"cutoff"` // meetings that ended before this day
	DryRun   bool         `json:"dry_run"`
	Meetings []DueMeeting `json:"meetings"`
}

// Cutoff is the first day whose meetings are kept: a meeting whose last
// day is before it is past the retention period of months (in Berlin).
func Cutoff(now time.Time, months int) day.Date {
	return day.Of(day.Today(now).In(time.UTC).AddDate(0, -months, 0))
}
